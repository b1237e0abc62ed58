package io.sigil.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.orchestrator.RunResponse;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a finished run answers an OpenAI client, read from its {@code complete} message (the run response's wire
 * form): the message content (the answer, or the contract's validated JSON), the client tool calls it ended with,
 * and its real token usage. A run that did not deliver is an OpenAI error, never a 2xx: a contract not met is 422,
 * the model provider failing 502, the deadline 504, storage that could not record the run 507 or 503.
 */
record RunOutcome(String sessionId, String content, List<ChatCompletion.ToolCall> toolCalls, ChatCompletion.Usage usage) {

    String finishReason() { return toolCalls.isEmpty() ? "stop" : "tool_calls"; }

    ChatCompletion.AssistantMessage message() {
        return toolCalls.isEmpty() ? ChatCompletion.AssistantMessage.text(content)
                : ChatCompletion.AssistantMessage.calls(toolCalls);
    }

    static RunOutcome of(Object complete) {
        if (!(complete instanceof Map<?, ?> r)) {
            throw failure(500, "internal_error", "The run ended without a response.");
        }
        Map<?, ?> meta = r.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        String status = String.valueOf(r.get("status"));
        List<?> errors = r.get("errors") instanceof List<?> l ? l : List.of();
        String firstError = errors.isEmpty() ? "The run failed." : String.valueOf(errors.getFirst());
        Object storage = meta.get(RunResponse.STORAGE_ERROR);
        if (storage != null) {
            boolean full = "no_space".equals(storage);
            throw new ApiProblem(Problem.of(full ? 507 : 503, "state-error", "Service unavailable",
                    String.valueOf(errors.isEmpty() ? "[STATE_ERROR] The run's events could not be stored." : errors.getLast()))
                    .withCode("state_error"), Map.of("Retry-After", "30"));
        }
        Map<?, ?> contract = r.get("contract") instanceof Map<?, ?> c ? c : null;
        switch (status) {
            case "success", "partial" -> {
                if (contract != null && !"valid".equals(contract.get("outcome"))) {
                    throw failure(422, "contract_failed", "The agent's output did not satisfy the contract '"
                            + contract.get("name") + "' after " + contract.get("attempts") + " attempt(s): "
                            + contract.get("errors"));
                }
            }
            case "timeout" -> throw failure(504, "timeout", firstError);
            default -> {
                String code = firstError.startsWith("[") && firstError.indexOf(']') > 0
                        ? firstError.substring(1, firstError.indexOf(']')) : "";
                throw switch (code) {
                    case "LLM_ERROR" -> failure(502, "upstream_error", firstError);
                    case "CONTRACT_ERROR", "CONTRACT_VALIDATION_ERROR" -> failure(422, "contract_failed", firstError);
                    case "TOKEN_BUDGET_EXCEEDED" -> failure(422, "token_budget_exceeded", firstError);
                    case "CANCELLED" -> failure(503, "cancelled", firstError);
                    default -> failure(500, "run_failed", firstError);
                };
            }
        }
        JsonNode output = r.get("output") instanceof JsonNode o ? o : null;
        List<ChatCompletion.ToolCall> calls = new ArrayList<>();
        if (meta.containsKey(RunResponse.CLIENT_TOOL_CALLS) && output != null) {
            for (JsonNode c : output.path("tool_calls")) {
                calls.add(ChatCompletion.ToolCall.of(c.path("id").asText(), c.path("name").asText(), c.path("arguments").toString()));
            }
        }
        String content = contract != null && output != null ? output.toString() : String.valueOf(r.get("answer"));
        long in = number(meta.get(RunResponse.INPUT_TOKENS));
        long out = number(meta.get(RunResponse.OUTPUT_TOKENS));
        return new RunOutcome(String.valueOf(r.get("session_id")), content, calls, new ChatCompletion.Usage(in, out, in + out));
    }

    private static long number(Object o) { return o instanceof Number n ? n.longValue() : 0; }

    private static ApiProblem failure(int status, String code, String detail) {
        return new ApiProblem(Problem.of(status, code.replace('_', '-'), "Run failed", detail).withCode(code));
    }
}
