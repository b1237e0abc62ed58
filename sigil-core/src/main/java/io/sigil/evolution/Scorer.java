package io.sigil.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.contracts.JsonExtractor;
import io.sigil.errors.SigilError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.OutputSchema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scores one run of a case. The contract judges when it applies: valid scores 1; partial output scores 0.5 less 0.1
 * per remaining rule error; the contract's fallback (its template) and a failed run score 0. {@code expected}
 * judges too: exact (1 or 0), contains (the share of texts found), JSON subset (the share of leaves matched), or a
 * model judge with a rubric (its 0..1 grade). The score is the mean of the judges that apply; the run passes when
 * every judge passes (contract valid, expectation fully met, judge grade at least {@link Expected.Judge#PASS}).
 */
public final class Scorer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OutputSchema GRADE = new OutputSchema("grade", JSON.createObjectNode().put("type", "object")
            .<com.fasterxml.jackson.databind.node.ObjectNode>set("properties", JSON.createObjectNode()
                    .set("score", JSON.createObjectNode().put("type", "number").put("minimum", 0).put("maximum", 1)))
            .set("required", JSON.createArrayNode().add("score")));
    static final long JUDGE_TOKENS = 2_000;

    private final ChatModel judge;

    /** @param judge the model that grades {@link Expected.Judge} cases (counted in the cost); null if none may */
    public Scorer(ChatModel judge) { this.judge = judge; }

    /** @param contractApplies whether a contract held the run's output (the case's or the agent's) */
    public CaseScore score(TestCase c, CaseRun run, boolean contractApplies) {
        List<Double> parts = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        long[] judged = {0};
        boolean pass = true;
        if (run.output() == null && run.contractOutcome() == null) {
            reasons.add("the run failed: " + String.join("; ", run.errors()));
            return new CaseScore(c.id(), 0, false, reasons, run.tokens());
        }
        if (contractApplies && c.useContract()) {
            String outcome = run.contractOutcome() == null ? "failed" : run.contractOutcome();
            double s = switch (outcome) {
                case "valid" -> 1.0;
                case "partial" -> Math.max(0, 0.5 - 0.1 * run.contractErrors().size());
                default -> 0.0;
            };
            parts.add(s);
            if (!outcome.equals("valid")) {
                pass = false;
                reasons.add("contract " + (outcome.equals("template") ? "fell back to its template" : outcome)
                        + (run.contractErrors().isEmpty() ? "" : ": " + String.join("; ", run.contractErrors())));
            }
        }
        if (c.expected() != null) {
            double s = expected(c.expected(), c.input(), run, reasons, judged);
            parts.add(s);
            double needed = c.expected() instanceof Expected.Judge ? Expected.Judge.PASS : 1.0;
            if (s < needed) pass = false;
        }
        double score = parts.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return new CaseScore(c.id(), score, pass && !parts.isEmpty(), reasons, run.tokens() + judged[0]);
    }

    private double expected(Expected e, String input, CaseRun run, List<String> reasons, long[] judged) {
        String text = outputText(run);
        return switch (e) {
            case Expected.Exact x -> {
                boolean ok = text.strip().equals(x.text().strip());
                if (!ok) reasons.add("expected exactly '" + abridge(x.text()) + "', got '" + abridge(text) + "'");
                yield ok ? 1 : 0;
            }
            case Expected.Contains x -> {
                String lower = text.toLowerCase(Locale.ROOT);
                List<String> missing = x.needles().stream().filter(n -> !lower.contains(n.toLowerCase(Locale.ROOT))).toList();
                if (!missing.isEmpty()) reasons.add("the output does not mention: " + String.join(", ", missing));
                yield 1.0 - (double) missing.size() / x.needles().size();
            }
            case Expected.JsonSubset x -> {
                List<String> missing = new ArrayList<>();
                int[] leaves = {0};
                subset(x.subset(), run.output(), "", missing, leaves);
                if (!missing.isEmpty()) reasons.add("the output differs from expected at: " + String.join(", ", missing));
                yield leaves[0] == 0 ? 1 : 1.0 - (double) missing.size() / leaves[0];
            }
            case Expected.Judge x -> grade(x.rubric(), input, text, reasons, judged);
        };
    }

    /** The answer text, or the structured output as JSON. */
    static String outputText(CaseRun run) {
        if (run.output() == null) return run.answer();
        JsonNode a = run.output().get("answer");
        return a != null && a.isTextual() && run.output().size() == 1 ? a.asText() : run.output().toString();
    }

    private static void subset(JsonNode want, JsonNode got, String path, List<String> missing, int[] leaves) {
        if (want.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                var f = it.next();
                JsonNode g = got == null || !got.isObject() ? null : got.get(f.getKey());
                subset(f.getValue(), g, path.isEmpty() ? f.getKey() : path + "." + f.getKey(), missing, leaves);
            }
        } else if (want.isArray()) {
            for (int i = 0; i < want.size(); i++) {
                subset(want.get(i), got == null || !got.isArray() ? null : got.get(i), path + "[" + i + "]", missing, leaves);
            }
        } else {
            leaves[0]++;
            boolean same = got != null && (want.isNumber() && got.isNumber() ? want.decimalValue().compareTo(got.decimalValue()) == 0
                    : want.equals(got));
            if (!same) missing.add(path + " (want " + want + ", got " + (got == null ? "nothing" : abridge(got.toString())) + ")");
        }
    }

    private double grade(String rubric, String input, String output, List<String> reasons, long[] judged) {
        if (judge == null) throw new IllegalStateException("a judge case needs a judge model");
        ChatRequest request = ChatRequest.builder()
                .system("You grade the output of an AI agent against a rubric. Be strict and literal. Reply with JSON"
                        + " {\"score\": a number from 0 (fails the rubric) to 1 (fully meets it), \"reason\": one sentence}.")
                .user("Rubric:\n" + rubric + "\n\nThe agent was asked:\n" + input + "\n\nThe agent's output:\n" + output)
                .outputSchema(GRADE).temperature(0.0).maxTokens(300).build();
        ChatResponse r;
        try {
            r = judge.chat(request);
        } catch (SigilError e) {
            reasons.add("the judge model failed: " + e.display());
            return 0;
        }
        judged[0] += r.usage().totalTokens();
        JsonNode grade = JsonExtractor.extract(r.text()).value();
        if (grade == null || !grade.path("score").isNumber()) {
            reasons.add("the judge's answer has no score: " + abridge(r.text()));
            return 0;
        }
        double s = Math.max(0, Math.min(1, grade.get("score").asDouble()));
        if (s < Expected.Judge.PASS) reasons.add("judge graded " + s + ": " + grade.path("reason").asText("no reason given"));
        return s;
    }

    private static String abridge(String s) { return s.length() > 120 ? s.substring(0, 117) + "..." : s; }
}
