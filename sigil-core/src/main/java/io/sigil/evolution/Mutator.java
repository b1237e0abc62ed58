package io.sigil.evolution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mutation without a model, deterministic for a seed: {@code add-rule} turns the failing cases' reasons into
 * explicit instructions (a missing or invalid deliverable becomes "Always give X explicitly", texts the output did
 * not mention become "Always mention ..."); {@code drop} removes a sentence; {@code swap} exchanges two adjacent
 * sentences. Cheap candidates that keep the beam moving between reflective rewrites.
 */
public final class Mutator implements Proposer {
    private static final Pattern FIELD_ERROR = Pattern.compile("([A-Za-z_][\\w.\\[\\]]*): ");
    private static final Pattern NOT_MENTIONED = Pattern.compile("does not mention: (.+)$");
    private final long seed;

    public Mutator(long seed) { this.seed = seed; }

    @Override
    public List<Candidate> propose(String parent, Evaluation parentTrain, List<TestCase> train, int generation, int count) {
        Random random = new Random(seed * 31 + generation * 1_000_003L + parent.hashCode());
        List<Candidate> out = new ArrayList<>();
        String rule = rules(parent, parentTrain);
        if (!rule.isEmpty()) out.add(new Candidate(parent.strip() + "\n" + rule, "mutation:add-rule"));
        List<String> sentences = sentences(parent);
        if (sentences.size() >= 3 && out.size() < count) {
            List<String> s = new ArrayList<>(sentences);
            s.remove(random.nextInt(s.size()));
            out.add(new Candidate(String.join(" ", s), "mutation:drop"));
        }
        if (sentences.size() >= 2 && out.size() < count) {
            List<String> s = new ArrayList<>(sentences);
            int i = random.nextInt(s.size() - 1);
            String t = s.get(i);
            s.set(i, s.get(i + 1));
            s.set(i + 1, t);
            out.add(new Candidate(String.join(" ", s), "mutation:swap"));
        }
        return out.size() > count ? out.subList(0, count) : out;
    }

    /** Instructions for what the failing cases missed, leaving out what the prompt already says. */
    static String rules(String parent, Evaluation parentTrain) {
        Set<String> fields = new LinkedHashSet<>();
        Set<String> mentions = new LinkedHashSet<>();
        boolean template = false;
        for (Evaluation.CaseResult c : parentTrain.failing()) {
            for (String reason : c.reasons()) {
                if (reason.startsWith("contract fell back")) template = true;
                if (reason.startsWith("contract ")) {
                    int colon = reason.indexOf(": ");
                    if (colon > 0) {
                        for (String error : reason.substring(colon + 2).split("; ")) {
                            Matcher m = FIELD_ERROR.matcher(error);
                            if (m.lookingAt()) fields.add(m.group(1));
                        }
                    }
                }
                Matcher m = NOT_MENTIONED.matcher(reason);
                if (m.find()) mentions.addAll(Arrays.asList(m.group(1).split(", ")));
            }
        }
        String lower = parent.toLowerCase(java.util.Locale.ROOT);
        List<String> lines = new ArrayList<>();
        for (String f : fields) {
            String plain = f.substring(f.lastIndexOf('.') + 1).replace('_', ' ');
            if (!lower.contains("always give the " + plain)) lines.add("Always give the " + plain + " explicitly.");
        }
        List<String> newMentions = mentions.stream().filter(m -> !lower.contains(m.toLowerCase(java.util.Locale.ROOT))).toList();
        if (!newMentions.isEmpty()) lines.add("Always mention " + String.join(" and ", newMentions) + ".");
        if (template && lines.isEmpty() && !lower.contains("every deliverable")) {
            lines.add("Deliver every deliverable the contract asks for.");
        }
        return String.join(" ", lines);
    }

    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        for (String s : text.strip().split("(?<=[.!?])\\s+")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }
}
