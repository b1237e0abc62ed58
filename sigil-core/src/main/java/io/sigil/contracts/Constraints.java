package io.sigil.contracts;

/**
 * Budgets of one contract execution. A limit of 0 means "no limit"; {@code warnThreshold} is the share of the
 * total budget at which a warning event is emitted (default 0.8).
 */
public record Constraints(long maxInputTokens, long maxOutputTokens, long maxTotalTokens, int maxToolCalls,
                          double timeoutSeconds, double warnThreshold) {

    public static final Constraints NONE = new Constraints(0, 0, 0, 0, 0, 0.8);

    public Constraints {
        if (maxInputTokens < 0 || maxOutputTokens < 0 || maxTotalTokens < 0 || maxToolCalls < 0 || timeoutSeconds < 0) {
            throw new IllegalArgumentException("constraints cannot be negative");
        }
        if (!(warnThreshold > 0 && warnThreshold <= 1)) {
            throw new IllegalArgumentException("warn_threshold must be in (0, 1], got " + warnThreshold);
        }
    }

    public Constraints withMaxTotalTokens(long tokens) {
        return new Constraints(maxInputTokens, maxOutputTokens, tokens, maxToolCalls, timeoutSeconds, warnThreshold);
    }

    public Constraints withTimeoutSeconds(double seconds) {
        return new Constraints(maxInputTokens, maxOutputTokens, maxTotalTokens, maxToolCalls, seconds, warnThreshold);
    }

    public Constraints withMaxToolCalls(int calls) {
        return new Constraints(maxInputTokens, maxOutputTokens, maxTotalTokens, calls, timeoutSeconds, warnThreshold);
    }
}
