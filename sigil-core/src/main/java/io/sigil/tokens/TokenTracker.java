package io.sigil.tokens;

import io.sigil.llm.Usage;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Counts the tokens of one run or session against its {@link TokenBudget}. Thread-safe: the agents of a run may
 * call models concurrently. Before a call, {@link #checkBefore} refuses it when the estimate alone would cross a
 * limit; after it, {@link #record} adds the provider's real usage and raises {@link TokenBudgetExceeded} when a
 * limit is now crossed. Crossing the warn threshold (80% by default) notifies the warning listener once per limit.
 */
public final class TokenTracker {

    /** A limit passed its warn threshold. */
    public record Warning(TokenBudget.Limit limit, long used, long max) {
        public double utilization() { return (double) used / max; }
    }

    private final TokenBudget budget;
    private final Consumer<Warning> onWarning;
    private final Set<TokenBudget.Limit> warned = EnumSet.noneOf(TokenBudget.Limit.class);
    private Usage used = Usage.ZERO;
    private long calls;

    public TokenTracker(TokenBudget budget) { this(budget, w -> { }); }

    public TokenTracker(TokenBudget budget, Consumer<Warning> onWarning) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.onWarning = Objects.requireNonNull(onWarning, "onWarning");
    }

    public TokenBudget budget() { return budget; }

    /** Refuses a call whose estimated input tokens would cross the input or total limit. */
    public synchronized void checkBefore(long estimatedInputTokens) {
        check(TokenBudget.Limit.INPUT, used.inputTokens() + estimatedInputTokens, budget.maxInputTokens());
        check(TokenBudget.Limit.TOTAL, used.totalTokens() + estimatedInputTokens, budget.maxTotalTokens());
    }

    /** Adds a call's real usage; throws if a limit is now crossed (the usage is still counted). */
    public void record(Usage usage) {
        Warning warning = null;
        TokenBudgetExceeded exceeded = null;
        synchronized (this) {
            used = used.plus(usage);
            calls++;
            try {
                check(TokenBudget.Limit.INPUT, used.inputTokens(), budget.maxInputTokens());
                check(TokenBudget.Limit.OUTPUT, used.outputTokens(), budget.maxOutputTokens());
                check(TokenBudget.Limit.TOTAL, used.totalTokens(), budget.maxTotalTokens());
            } catch (TokenBudgetExceeded e) {
                exceeded = e;
            }
            if (exceeded == null) warning = newWarning();
        }
        // Listeners run outside the lock: they may log, emit events or read this tracker.
        if (warning != null) onWarning.accept(warning);
        if (exceeded != null) throw exceeded;
    }

    public synchronized Usage used() { return used; }

    public synchronized long calls() { return calls; }

    /** Total tokens used over the total limit (0 when the total is unlimited). */
    public synchronized double utilization() {
        return budget.limitsTotal() ? (double) used.totalTokens() / budget.maxTotalTokens() : 0;
    }

    private Warning newWarning() {
        for (TokenBudget.Limit limit : TokenBudget.Limit.values()) {
            long max = max(limit);
            long value = value(limit);
            if (max > 0 && value >= max * budget.warnThreshold() && warned.add(limit)) {
                return new Warning(limit, value, max);
            }
        }
        return null;
    }

    private long max(TokenBudget.Limit limit) {
        return switch (limit) {
            case INPUT -> budget.maxInputTokens();
            case OUTPUT -> budget.maxOutputTokens();
            case TOTAL -> budget.maxTotalTokens();
        };
    }

    private long value(TokenBudget.Limit limit) {
        return switch (limit) {
            case INPUT -> used.inputTokens();
            case OUTPUT -> used.outputTokens();
            case TOTAL -> used.totalTokens();
        };
    }

    private static void check(TokenBudget.Limit limit, long value, long max) {
        if (max > 0 && value > max) throw new TokenBudgetExceeded(limit, value, max);
    }
}
