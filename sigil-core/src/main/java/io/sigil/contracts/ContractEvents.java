package io.sigil.contracts;

import io.sigil.events.EventSink;
import io.sigil.events.EventType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The events of one contract execution, one method per event. Nothing is built for {@link EventSink#NONE} (a library
 * user's default): the payload maps were a fifth of what the contract layer allocated per attempt.
 */
final class ContractEvents {
    private final EventSink sink;
    private final String contractName;
    private final boolean recording;

    ContractEvents(EventSink sink, String contractName) {
        this.sink = sink;
        this.contractName = contractName;
        this.recording = sink != EventSink.NONE;
    }

    void retry(int attempt, RetryPrompts.Level level, List<ValidationError> errors, long tokensUsed, long tokensRemaining) {
        if (!recording) return;
        sink.emit(EventType.CONTRACT_RETRY, payload("attempt", attempt, "prompt_level", level.name().toLowerCase(Locale.ROOT),
                "errors", errors(errors), "tokens_used", tokensUsed,
                "tokens_remaining", tokensRemaining == Long.MAX_VALUE ? -1 : tokensRemaining));
    }

    void validationStarted(int attempt, String version) {
        if (recording) sink.emit(EventType.CONTRACT_VALIDATION_STARTED, payload("attempt", attempt, "version", version));
    }

    void validated(int attempt, List<ValidationError> warnings) {
        if (recording) sink.emit(EventType.CONTRACT_VALIDATED, payload("attempt", attempt, "warnings", errors(warnings)));
    }

    void validationFailed(int attempt, List<ValidationError> errors) {
        if (!recording) return;
        sink.emit(EventType.CONTRACT_VALIDATION_FAILED, payload("attempt", attempt, "error_count", errors.size(),
                "errors", errors(errors)));
    }

    void budgetWarning(long tokensUsed, long limit) {
        if (!recording) return;
        sink.emit(EventType.ERROR_OCCURRED, payload("severity", "warning", "code", "TOKEN_BUDGET_WARNING",
                "tokens_used", tokensUsed, "limit", limit, "utilization", (double) tokensUsed / limit));
    }

    void toolCalled(String tool, String callId) {
        if (recording) sink.emit(EventType.TOOL_CALLED, payload("tool", tool, "call_id", callId));
    }

    void partialFallback(int valid, int template, int missing, String message) {
        if (!recording) return;
        sink.emit(EventType.CONTRACT_FALLBACK, payload("mode", "partial", "valid", valid, "template", template,
                "missing", missing, "message", message));
    }

    void templateFallback(int valid, int required, String message) {
        if (!recording) return;
        sink.emit(EventType.CONTRACT_FALLBACK, payload("mode", "template", "valid", valid, "required", required,
                "message", message));
    }

    void completed(String outcome, int attempts, long tokensUsed, int toolCalls, long durationMs) {
        if (!recording) return;
        sink.emit(EventType.CONTRACT_COMPLETED, payload("outcome", outcome, "attempts", attempts,
                "tokens_used", tokensUsed, "tool_calls", toolCalls, "duration_ms", durationMs));
    }

    private Map<String, Object> payload(Object... kv) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("contract_name", contractName);
        for (int i = 0; i < kv.length; i += 2) p.put((String) kv[i], kv[i + 1]);
        return p;
    }

    private static List<Map<String, Object>> errors(List<ValidationError> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ValidationError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", e.field());
            m.put("reason", e.reason());
            m.put("expected", e.expected());
            m.put("actual", e.actual());
            m.put("severity", e.severity().name().toLowerCase(Locale.ROOT));
            out.add(m);
        }
        return out;
    }
}
