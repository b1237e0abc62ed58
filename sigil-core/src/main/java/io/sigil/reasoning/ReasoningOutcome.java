package io.sigil.reasoning;

import java.util.List;

/**
 * What the manager did with a request: the strategy it selected and why, every attempt in order (the selected
 * one first, then each fallback), and the final result (the last attempt).
 */
public record ReasoningOutcome(StrategyName selected, String selectionReason, List<StrategyResult> attempts) {
    public ReasoningOutcome {
        attempts = List.copyOf(attempts);
        if (attempts.isEmpty()) throw new IllegalArgumentException("an outcome has at least one attempt");
    }

    public StrategyResult result() { return attempts.getLast(); }

    public boolean success() { return result().success(); }

    /** Tokens spent by all attempts, failed ones included. */
    public long totalTokens() { return attempts.stream().mapToLong(StrategyResult::tokensUsed).sum(); }

    public int fallbacks() { return attempts.size() - 1; }
}
