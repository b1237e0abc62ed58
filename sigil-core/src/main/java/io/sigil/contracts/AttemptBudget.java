package io.sigil.contracts;

import io.sigil.llm.Usage;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;

/**
 * Token accounting of one contract execution: every call of every attempt counts. Crossing a limit raises
 * {@link TokenBudgetExceeded}; crossing the warning threshold is reported once. Not thread-safe (one execution).
 */
final class AttemptBudget {
    private final long maxInput;
    private final long maxOutput;
    private final long maxTotal;
    private final double warnThreshold;
    private Usage used = Usage.ZERO;
    private boolean warned;

    AttemptBudget(Constraints c, long defaultMaxTotal) {
        this.maxInput = c.maxInputTokens();
        this.maxOutput = c.maxOutputTokens();
        this.maxTotal = c.maxTotalTokens() > 0 ? c.maxTotalTokens() : defaultMaxTotal;
        this.warnThreshold = c.warnThreshold();
    }

    /** Adds a call's usage; returns true the first time usage reaches the warning threshold. */
    boolean add(Usage usage) {
        used = used.plus(usage);
        if (maxInput > 0 && used.inputTokens() > maxInput) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.INPUT, used.inputTokens(), maxInput);
        }
        if (maxOutput > 0 && used.outputTokens() > maxOutput) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.OUTPUT, used.outputTokens(), maxOutput);
        }
        if (maxTotal > 0 && used.totalTokens() > maxTotal) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, used.totalTokens(), maxTotal);
        }
        if (!warned && maxTotal > 0 && used.totalTokens() >= warnThreshold * maxTotal) {
            warned = true;
            return true;
        }
        return false;
    }

    Usage used() { return used; }

    long maxTotal() { return maxTotal; }

    /** Tokens left of the total budget; Long.MAX_VALUE when unlimited. */
    long remaining() { return maxTotal > 0 ? Math.max(0, maxTotal - used.totalTokens()) : Long.MAX_VALUE; }

    /** The max_tokens to ask for in the next call, so a response cannot overshoot the budget; null when unlimited. */
    Integer nextMaxTokens() {
        long cap = Long.MAX_VALUE;
        if (maxOutput > 0) cap = maxOutput - used.outputTokens();
        if (maxTotal > 0) cap = Math.min(cap, remaining());
        if (cap == Long.MAX_VALUE) return null;
        return (int) Math.max(1, Math.min(cap, Integer.MAX_VALUE));
    }
}
