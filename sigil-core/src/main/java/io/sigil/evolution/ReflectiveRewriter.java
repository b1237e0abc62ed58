package io.sigil.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.contracts.JsonExtractor;
import io.sigil.errors.SigilError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.OutputSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reflective rewrite (as in GEPA): the model reads the prompt, the failing training cases with their contract
 * errors and missed expectations, and the contract's deliverables, and proposes rewritten prompts that fix the
 * failures while keeping the prompt's wording where it works (drift is gated). Each call reserves its ceiling from
 * the {@link TokenPool}; when it does not fit, no proposal is made.
 */
public final class ReflectiveRewriter implements Proposer {
    static final long CALL_TOKENS = 6_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OutputSchema SCHEMA = schema();

    private final ChatModel model;
    private final String contractSummary;
    private final TokenPool pool;
    private final Consumer<String> problems;

    /**
     * @param contractSummary what the output must deliver (the contract's deliverables and rules), or empty
     * @param problems        told when a call fails or answers nothing usable (the optimisation goes on without it)
     */
    public ReflectiveRewriter(ChatModel model, String contractSummary, TokenPool pool, Consumer<String> problems) {
        this.model = model;
        this.contractSummary = contractSummary == null ? "" : contractSummary;
        this.pool = pool;
        this.problems = problems;
    }

    @Override
    public List<Candidate> propose(String parent, Evaluation parentTrain, List<TestCase> train, int generation, int count) {
        List<Evaluation.CaseResult> failing = parentTrain.failing();
        if (failing.isEmpty() || count < 1) return List.of();
        if (!pool.reserve(CALL_TOKENS)) return List.of();
        long spent = CALL_TOKENS;
        try {
            ChatResponse r = model.chat(request(parent, failing, train, count));
            spent = r.usage().totalTokens();
            JsonNode answer = JsonExtractor.extract(r.text()).value();
            List<Candidate> out = new ArrayList<>();
            if (answer != null && answer.path("prompts").isArray()) {
                for (JsonNode p : answer.get("prompts")) {
                    if (p.isTextual() && !p.asText().isBlank() && out.size() < count) {
                        out.add(new Candidate(p.asText().strip(), "reflective"));
                    }
                }
            }
            if (out.isEmpty()) problems.accept("the reflective rewrite proposed no prompt (answer: " + abridge(r.text()) + ")");
            return out;
        } catch (SigilError e) {
            problems.accept("the reflective rewrite failed: " + e.display());
            return List.of();
        } finally {
            pool.settle(CALL_TOKENS, spent);
        }
    }

    private ChatRequest request(String parent, List<Evaluation.CaseResult> failing, List<TestCase> train, int count) {
        Map<String, TestCase> byId = new java.util.HashMap<>();
        train.forEach(c -> byId.put(c.id(), c));
        StringBuilder cases = new StringBuilder();
        for (Evaluation.CaseResult f : failing.subList(0, Math.min(8, failing.size()))) {
            TestCase c = byId.get(f.caseId());
            cases.append("- input: ").append(c == null ? "?" : abridge(c.input())).append("\n  problems: ")
                    .append(String.join("; ", f.reasons())).append('\n');
        }
        return ChatRequest.builder()
                .system("You improve the system prompt of an AI agent. You are shown the prompt, the test cases it"
                        + " fails with the reasons, and what its output must deliver. Propose rewritten prompts that fix"
                        + " the failures. Change as little as you can: keep every sentence that is not the cause, add or"
                        + " sharpen instructions; never tailor the prompt to the literal test inputs. Reply with JSON"
                        + " {\"prompts\": [\"...\"]}.")
                .user("Current prompt:\n<<<\n" + parent + "\n>>>\n\n"
                        + (contractSummary.isEmpty() ? "" : "The output must deliver:\n" + contractSummary + "\n\n")
                        + "Failing cases:\n" + cases + "\nPropose up to " + count + " improved prompts.")
                .outputSchema(SCHEMA).temperature(0.7).build();
    }

    private static OutputSchema schema() {
        ObjectNode s = JSON.createObjectNode().put("type", "object");
        s.putObject("properties").putObject("prompts").put("type", "array").put("minItems", 1)
                .putObject("items").put("type", "string").put("minLength", 1);
        s.putArray("required").add("prompts");
        return new OutputSchema("prompt_candidates", s);
    }

    private static String abridge(String s) { return s.length() > 200 ? s.substring(0, 197) + "..." : s; }
}
