package io.sigil.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed views of the payloads replay relies on, with the field names every emitter uses (docs/events.md).
 * Each record reads leniently from a stored map ({@code from}) - a missing field is null or zero, an extra field
 * is ignored - and writes the canonical map ({@code toMap}). Payloads of other types stay plain maps.
 */
public final class Payloads {
    private Payloads() { }

    /**
     * session.started: {agent_id, user_id, owner, metadata}. {@code owner} is the subject that may see and continue
     * the session (absent in sessions written before it existed: then {@code user_id} is the owner).
     */
    public record SessionStarted(String agentId, String userId, String owner, Map<String, Object> metadata) {
        public static SessionStarted from(Map<String, Object> p) {
            String owner = str(p, "owner");
            return new SessionStarted(str(p, "agent_id"), str(p, "user_id"), owner == null ? str(p, "user_id") : owner,
                    map(p, "metadata"));
        }
        public Map<String, Object> toMap() {
            return fields("agent_id", agentId, "user_id", userId, "owner", owner, "metadata", metadata);
        }
    }

    /** session.ended: {reason}. */
    public record SessionEnded(String reason) {
        public static SessionEnded from(Map<String, Object> p) { return new SessionEnded(str(p, "reason")); }
        public Map<String, Object> toMap() { return fields("reason", reason); }
    }

    /** message.added: {role, content, author}: author is the subject who wrote a user message, {@code agent:<name>} an answer. */
    public record MessageAdded(String role, String content, String author) {
        public MessageAdded(String role, String content) { this(role, content, null); }
        public static MessageAdded from(Map<String, Object> p) {
            return new MessageAdded(str(p, "role"), str(p, "content"), str(p, "author"));
        }
        public Map<String, Object> toMap() { return fields("role", role, "content", content, "author", author); }
    }

    /** tool.called: {tool, arguments, result, error, duration_ms}. */
    public record ToolCalled(String tool, Map<String, Object> arguments, Object result, String error, long durationMs) {
        public static ToolCalled from(Map<String, Object> p) {
            return new ToolCalled(str(p, "tool"), map(p, "arguments"), p.get("result"), str(p, "error"), num(p, "duration_ms"));
        }
        public Map<String, Object> toMap() {
            return fields("tool", tool, "arguments", arguments, "result", result, "error", error, "duration_ms", durationMs);
        }
    }

    /** One step of plan.created's {@code steps}: {step_id, description}. */
    public record PlanStep(String stepId, String description) {
        static PlanStep from(Object o) {
            if (o instanceof Map<?, ?> m) {
                Map<String, Object> p = cast(m);
                String id = str(p, "step_id");
                return new PlanStep(id != null ? id : str(p, "id"), str(p, "description"));
            }
            return new PlanStep(null, String.valueOf(o));
        }
        public Map<String, Object> toMap() { return fields("step_id", stepId, "description", description); }
    }

    /** plan.created: {plan_id, goal, steps: [{step_id, description}]}. */
    public record PlanCreated(String planId, String goal, List<PlanStep> steps) {
        public static PlanCreated from(Map<String, Object> p) {
            var steps = new ArrayList<PlanStep>();
            if (p.get("steps") instanceof List<?> l) for (Object o : l) steps.add(PlanStep.from(o));
            return new PlanCreated(str(p, "plan_id"), str(p, "goal"), List.copyOf(steps));
        }
        public Map<String, Object> toMap() {
            return fields("plan_id", planId, "goal", goal, "steps", steps.stream().map(PlanStep::toMap).toList());
        }
    }

    /** plan.step_completed and step.completed: {plan_id, step_id, status, result}. */
    public record StepCompleted(String planId, String stepId, String status, Object result) {
        public static StepCompleted from(Map<String, Object> p) {
            return new StepCompleted(str(p, "plan_id"), str(p, "step_id"), str(p, "status"), p.get("result"));
        }
        public Map<String, Object> toMap() { return fields("plan_id", planId, "step_id", stepId, "status", status, "result", result); }
    }

    /** memory.extracted: {items: [{content, category, ...}]} (or one item's fields directly). */
    public record MemoryExtracted(List<Map<String, Object>> items) {
        public static MemoryExtracted from(Map<String, Object> p) {
            var items = new ArrayList<Map<String, Object>>();
            if (p.get("items") instanceof List<?> l) {
                for (Object o : l) if (o instanceof Map<?, ?> m) items.add(cast(m));
            } else if (p.containsKey("content")) {
                items.add(p);
            }
            return new MemoryExtracted(List.copyOf(items));
        }
        public Map<String, Object> toMap() { return fields("items", items); }
    }

    /** contract.validated / contract.validation_failed: {contract (or contract_name), passed, errors, attempt}. */
    public record ContractValidation(String contract, boolean passed, List<String> errors, int attempt) {
        public static ContractValidation from(String type, Map<String, Object> p) {
            var errors = new ArrayList<String>();
            if (p.get("errors") instanceof List<?> l) for (Object o : l) errors.add(String.valueOf(o));
            boolean passed = p.get("passed") instanceof Boolean b ? b : EventType.CONTRACT_VALIDATED.wireName().equals(type);
            String contract = str(p, "contract") != null ? str(p, "contract") : str(p, "contract_name");
            return new ContractValidation(contract, passed, List.copyOf(errors), (int) num(p, "attempt"));
        }
        public Map<String, Object> toMap() { return fields("contract", contract, "passed", passed, "errors", errors, "attempt", attempt); }
    }

    /** error.occurred: {code, message, recoverable}. */
    public record ErrorOccurred(String code, String message, boolean recoverable) {
        public static ErrorOccurred from(Map<String, Object> p) {
            return new ErrorOccurred(str(p, "code"), str(p, "message"), Boolean.TRUE.equals(p.get("recoverable")));
        }
        public Map<String, Object> toMap() { return fields("code", code, "message", message, "recoverable", recoverable); }
    }

    /** llm.called: {provider, model, input_tokens, output_tokens, ...} (other fields such as latency are kept in the map). */
    public record LlmCalled(String provider, String model, long inputTokens, long outputTokens) {
        public static LlmCalled from(Map<String, Object> p) {
            return new LlmCalled(str(p, "provider"), str(p, "model"), num(p, "input_tokens"), num(p, "output_tokens"));
        }
        public Map<String, Object> toMap() {
            return fields("provider", provider, "model", model, "input_tokens", inputTokens, "output_tokens", outputTokens);
        }
    }

    static String str(Map<String, Object> p, String key) {
        Object v = p.get(key);
        return v == null ? null : v.toString();
    }

    static long num(Map<String, Object> p, String key) {
        return p.get(key) instanceof Number n ? n.longValue() : 0;
    }

    static Map<String, Object> map(Map<String, Object> p, String key) {
        return p.get(key) instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) { return (Map<String, Object>) m; }

    /** A map of the non-null values, in the given order. */
    private static Map<String, Object> fields(Object... kv) {
        var m = new LinkedHashMap<String, Object>();
        for (int i = 0; i < kv.length; i += 2) if (kv[i + 1] != null) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
