package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.routing.RouteDecision;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link RunRequest} (sigil-design.md section 1).
 *
 * @param output         {@code {"answer": text}}, or the contract's validated deliverables when a contract applied
 * @param contract       the contract outcome, or null when no contract applied
 * @param metadata       strategy, model, memories recalled, plan steps, ... for display and debugging
 */
public record RunResponse(String requestId, String sessionId, RunStatus status, JsonNode output,
                          RouteDecision routeDecision, String planId, ContractSummary contract, long tokensUsed,
                          long executionTimeMs, List<String> errors, List<String> warnings,
                          Map<String, Object> metadata) {
    /**
     * Metadata key present when the run's events could not be made durable: {@code no_space} (the store's device is
     * full) or {@code unavailable}. Such a run is FAILED: nothing of it is acknowledged.
     */
    public static final String STORAGE_ERROR = "storage_error";
    /**
     * Metadata key present when the run ended by calling tools of the caller's ({@link Conversation#tools()}): the
     * number of calls; the output is then {@code {"tool_calls": [{"id", "name", "arguments"}...]}}.
     */
    public static final String CLIENT_TOOL_CALLS = "client_tool_calls";
    /** Metadata keys of the run's token usage split by direction (the response's tokensUsed is their sum). */
    public static final String INPUT_TOKENS = "input_tokens";
    public static final String OUTPUT_TOKENS = "output_tokens";

    public RunResponse {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        metadata = Map.copyOf(metadata);
    }

    /** The output's answer text, or its JSON when it is structured. */
    public String answerText() {
        if (output == null || output.isNull()) return "";
        JsonNode answer = output.get("answer");
        return answer != null && answer.isTextual() && output.size() == 1 ? answer.asText() : output.toPrettyString();
    }

    /** What the contract check concluded: outcome valid/partial/template/failed, attempts, remaining errors. */
    public record ContractSummary(String name, String outcome, int attempts, List<String> errors) {
        public ContractSummary {
            errors = List.copyOf(errors);
        }

        public boolean valid() { return outcome.equals("valid"); }
    }
}
