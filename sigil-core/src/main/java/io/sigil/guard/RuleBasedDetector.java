package io.sigil.guard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in detector: weighted rules over normalized text, plus evasion and encoded-payload checks.
 *
 * <p>Each rule counts once (its first match is the reported span, every match is kept for sanitizing); the score
 * is the noisy-OR of the weights of the rules that fired, {@code 1 - prod(1 - w)}, so independent hints add up
 * while staying below 1. Deterministic, offline, thread-safe.
 */
public final class RuleBasedDetector implements InjectionDetector {

    /** Default decision threshold, chosen on the development set to keep benign false positives near zero. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** Rules run on the letters-only form of spaced-out text ("s a y t h a t ..."), where words have no gaps. */
    private static final List<Rule> SQUEEZED = List.of(
            squeezed("obfuscated.override", Signal.Family.INSTRUCTION_OVERRIDE, 0.75,
                    "(?:ignore|disregard|forget)(?:all|any|every|your|the)*(?:previous|prior|above|preceding|earlier)?"
                            + "(?:instructions?|prompts?|rules|directives|everything)"),
            squeezed("obfuscated.exfiltration", Signal.Family.PROMPT_EXFILTRATION, 0.6,
                    "(?:show|print|reveal|repeat|tell)(?:me)?(?:your|the)(?:system|initial|original|hidden)?(?:prompt|instructions)"),
            squeezed("obfuscated.jailbreak", Signal.Family.JAILBREAK, 0.6, "(?:doanythingnow|danmode|jailbreak)"),
            squeezed("obfuscated.say_you", Signal.Family.OUTPUT_MANIPULATION, 0.45,
                    "(?:say|write|print|output|state)(?:that)?(?:you|i)(?:hate|love|are|am)"),
            squeezed("obfuscated.de_override", Signal.Family.INSTRUCTION_OVERRIDE, 0.75,
                    "(?:ignorier\\w*|vergiss)(?:alle|alles|deine|ihre|die)(?:vorherigen|bisherigen|obigen)?(?:anweisungen|instruktionen|befehle)?"));

    /** Shortest base64 run worth decoding (18 bytes), and fewest hex digits (16 bytes). */
    private static final int MIN_BASE64 = 24;
    private static final int MIN_HEX_DIGITS = 32;
    private static final Pattern DECODE_REQUEST = Pattern.compile(
            "\\b(?:decode|decipher|base64|rot13|rot-13|hex|encoded)\\b[^.?!\\n]{0,80}\\b(?:and|then)\\b[^.?!\\n]{0,20}"
                    + "\\b(?:follow|execute|run|obey|do what|perform|act on|carry out|comply)");

    private final TextNormalizer normalizer;
    private final List<Rule> rules;
    private final double threshold;

    public RuleBasedDetector() {
        this(new TextNormalizer(), InjectionLexicon.rules(), DEFAULT_THRESHOLD);
    }

    public RuleBasedDetector(TextNormalizer normalizer, List<Rule> rules, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1]: " + threshold);
        }
        this.normalizer = normalizer;
        this.rules = List.copyOf(rules);
        this.threshold = threshold;
    }

    @Override
    public double threshold() {
        return threshold;
    }

    @Override
    public Detection detect(String text) {
        return detect(text, 1);
    }

    /** Every occurrence of every rule (not just the first), plus the squeezed and decoded finds of {@link #detect}. */
    @Override
    public List<Signal> passages(String text) {
        NormalizedText norm = normalizer.normalize(text);
        var out = new ArrayList<Signal>();
        for (Rule rule : rules) {
            if (!rule.mayMatch(norm.text())) continue;
            for (MatchResult m : rule.all(norm.text())) {
                out.add(signal(rule.name(), rule.family(), rule.weight(), norm, m.start(), m.end(), text));
            }
        }
        for (Signal s : detect(text).signals()) {
            if (s.name().startsWith("obfuscated.") || s.name().startsWith("encoded.")) out.add(s);
        }
        return out;
    }

    private Detection detect(String text, int decodeDepth) {
        if (text == null || text.isBlank()) return Detection.CLEAN;
        NormalizedText norm = normalizer.normalize(text);
        var signals = new ArrayList<Signal>();
        for (Rule rule : rules) {
            if (!rule.mayMatch(norm.text())) continue;
            MatchResult m = rule.first(norm.text());
            if (m != null) signals.add(signal(rule.name(), rule.family(), rule.weight(), norm, m.start(), m.end(), text));
        }
        if (norm.obfuscation().spacedLetterRuns() > 0) squeezedSignals(norm, text, signals);
        obfuscationSignal(norm, text, signals);
        if (decodeDepth > 0) encodedSignals(text, norm, decodeDepth, signals);
        return new Detection(score(signals), sortByWeight(signals));
    }

    private static void squeezedSignals(NormalizedText norm, String original, List<Signal> signals) {
        var letters = new StringBuilder(norm.text().length());
        var index = new int[norm.text().length()];
        for (int i = 0; i < norm.text().length(); i++) {
            char c = norm.text().charAt(i);
            if (Character.isLetter(c)) { index[letters.length()] = i; letters.append(c); }
        }
        for (Rule rule : SQUEEZED) {
            Matcher m = rule.pattern().matcher(letters);
            if (m.find()) {
                signals.add(signal(rule.name(), rule.family(), rule.weight(), norm, index[m.start()],
                        index[m.end() - 1] + 1, original));
            }
        }
    }

    private static void obfuscationSignal(NormalizedText norm, String original, List<Signal> signals) {
        var o = norm.obfuscation();
        double w = 0;
        var what = new ArrayList<String>();
        if (o.spacedLetterRuns() > 0) { w += 0.2; what.add("spaced_letters"); }
        if (o.lookalikeWords() > 0) { w += 0.25; what.add("lookalikes"); }
        if (o.invisibleInWords() > 0) { w += 0.25; what.add("invisible_chars"); }
        if (w > 0) {
            // Evasion is evidence of intent but names no passage: the span is the whole text.
            signals.add(new Signal("obfuscation." + String.join("+", what), Signal.Family.OBFUSCATION,
                    Math.min(w, 0.4), 0, original.length(), original));
        }
    }

    /** Base64 and hex runs that decode to readable text are scanned as text themselves, one level deep. */
    private void encodedSignals(String text, NormalizedText norm, int depth, List<Signal> signals) {
        Matcher rq = DECODE_REQUEST.matcher(norm.text());
        if (rq.find()) {
            signals.add(signal("encoded.decode_and_follow", Signal.Family.ENCODED_PAYLOAD, 0.5, norm, rq.start(), rq.end(), text));
        }
        // Runs are found by a plain scan: a regex with a length bound retries every position of long words.
        for (int[] run : runs(text, RuleBasedDetector::isBase64Char, MIN_BASE64)) {
            if (encodedInjection(text, run, decodeBase64(text.substring(run[0], run[1])), "base64", depth, signals)) return;
        }
        for (int[] run : runs(text, RuleBasedDetector::isHexChar, MIN_HEX_DIGITS)) {
            if (encodedInjection(text, run, decodeHex(text.substring(run[0], run[1])), "hex", depth, signals)) return;
        }
    }

    private boolean encodedInjection(String text, int[] run, String decoded, String kind, int depth, List<Signal> signals) {
        if (decoded == null) return false;
        Detection inner = detect(decoded, depth - 1);
        if (inner.score() < threshold) return false;
        signals.add(new Signal("encoded." + kind + "_injection", Signal.Family.ENCODED_PAYLOAD,
                Math.max(0.75, inner.score()), run[0], run[1], text.substring(run[0], run[1])));
        return true;
    }

    /** Maximal runs of chars accepted by {@code member}, at least {@code min} long (trimmed of separators). */
    private static List<int[]> runs(String text, java.util.function.IntPredicate member, int min) {
        var out = new ArrayList<int[]>();
        int i = 0;
        while (i < text.length()) {
            if (!member.test(text.charAt(i)) || text.charAt(i) == ' ' || text.charAt(i) == ':') { i++; continue; }
            int start = i;
            while (i < text.length() && member.test(text.charAt(i))) i++;
            int end = i;
            while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == ':')) end--;
            if (end - start >= min) out.add(new int[] {start, end});
        }
        return out;
    }

    private static boolean isBase64Char(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
    }

    private static boolean isHexChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ' ' || c == ':';
    }

    private static String decodeBase64(String s) {
        String padded = s.replace('-', '+').replace('_', '/').replaceAll("=+$", "");
        if (padded.indexOf('=') >= 0) return null;
        while (padded.length() % 4 != 0) padded += "=";
        try {
            return readable(Base64.getDecoder().decode(padded));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String decodeHex(String s) {
        String digits = s.replaceAll("[ :]", "");
        if (digits.length() < MIN_HEX_DIGITS || digits.length() % 2 != 0) return null;
        try {
            return readable(HexFormat.of().parseHex(digits));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes as UTF-8 if they look like text (mostly printable), else null. */
    private static String readable(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        long printable = s.chars().filter(c -> c >= 0x20 && c != 0xFFFD || c == '\n' || c == '\t').count();
        return s.length() >= 8 && printable >= 0.9 * s.length() ? s : null;
    }

    /**
     * Noisy-OR of the signals' weights, counting each rule once and, where signals of the same family overlap in
     * the text, only the strongest: two rules matching the same phrase are one piece of evidence, not two.
     */
    static double score(List<Signal> signals) {
        var counted = new ArrayList<Signal>();
        var byWeight = new ArrayList<>(signals);
        byWeight.sort(Comparator.comparingDouble(Signal::weight).reversed());
        for (Signal s : byWeight) {
            boolean duplicate = counted.stream().anyMatch(c -> c.name().equals(s.name())
                    || (c.family() == s.family() && c.family() != Signal.Family.OBFUSCATION
                        && c.start() < s.end() && s.start() < c.end()));
            if (!duplicate) counted.add(s);
        }
        double clean = 1;
        for (Signal s : counted) clean *= 1 - s.weight();
        return Math.round((1 - clean) * 10_000) / 10_000.0;
    }

    private static List<Signal> sortByWeight(List<Signal> signals) {
        signals.sort(Comparator.comparingDouble(Signal::weight).reversed().thenComparingInt(Signal::start));
        return signals;
    }

    private static Signal signal(String name, Signal.Family family, double weight, NormalizedText norm,
                                 int from, int to, String original) {
        int start = norm.originalStart(from);
        int end = Math.max(start, norm.originalEnd(to));
        return new Signal(name, family, weight, start, end, original.substring(start, end));
    }

    private static Rule squeezed(String name, Signal.Family family, double weight, String regex) {
        return new Rule(name, family, weight, Pattern.compile(regex));
    }
}
