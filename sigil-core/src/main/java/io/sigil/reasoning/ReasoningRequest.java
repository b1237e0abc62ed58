package io.sigil.reasoning;

import io.sigil.errors.InvalidInputError;

import java.util.Objects;

/**
 * A task to reason about, with optional context assembled by the caller (memories, plan, history) and an
 * optional token budget that can only narrow a strategy's own range (null: the strategy's maximum).
 */
public record ReasoningRequest(String task, String context, Long maxTokens) {
    public ReasoningRequest {
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
