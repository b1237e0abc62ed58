package io.sigil.reasoning;

import io.sigil.errors.InvalidInputError;

import java.util.Objects;

import java.util.Map;

/**
 * A task to reason about, with optional context assembled by the caller (memories, plan, history), an
 * optional token budget that can only narrow a strategy's own range (null: the strategy's maximum), the
 * agent's instructions (put before each strategy's own system prompt; null for none) and request metadata
 * (session, agent, correlation ids) passed on to every model call.
 */
public record ReasoningRequest(String task, String context, Long maxTokens, String instructions,
                               Map<String, String> metadata) {
    public ReasoningRequest(String task, String context, Long maxTokens) {
        this(task, context, maxTokens, null, Map.of());
    }

    public ReasoningRequest {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        Objects.requireNonNull(task, "task");
        if (task.isBlank()) throw new InvalidInputError("the reasoning task is empty", "give the task as text");
        if (maxTokens != null && maxTokens < 1) {
            throw new InvalidInputError("max tokens must be at least 1, got " + maxTokens, null);
        }
    }

    public static ReasoningRequest of(String task) { return new ReasoningRequest(task, null, null); }

    /** The user message strategies send: the context (if any) and the task, clearly separated. */
    String prompt() {
        return context == null || context.isBlank() ? "Task:\n" + task.strip()
                : "Context:\n" + context.strip() + "\n\nTask:\n" + task.strip();
    }
}
