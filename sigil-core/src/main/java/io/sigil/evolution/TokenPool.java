package io.sigil.evolution;

/**
 * The token budget of a whole evaluation or optimisation. Work reserves its ceiling before it starts and settles
 * what it really spent when it ends, so concurrent work can never together commit more than the budget: work that
 * does not fit is refused and the pool is marked exhausted. Each case run is bounded by its reservation (the
 * pipeline's own per-request budget), so the spending stays within the budget up to one call's overshoot of a run's
 * last call (the pipeline stops a run after the call that crosses its limit).
 */
public final class TokenPool {
    private final long budget;
    private long committed;
    private boolean exhausted;

    /** @param alreadySpent tokens an earlier part of the same work spent (a resumed optimisation) */
    public TokenPool(long budget, long alreadySpent) {
        if (budget < 1) throw new IllegalArgumentException("token budget must be at least 1, got " + budget);
        this.budget = budget;
        this.committed = alreadySpent;
    }

    public long budget() { return budget; }

    /** Reserves {@code tokens}; false (and the pool exhausted) when they do not fit. */
    public synchronized boolean reserve(long tokens) {
        if (committed + tokens > budget) {
            exhausted = true;
            return false;
        }
        committed += tokens;
        return true;
    }

    /** Replaces a reservation by what the work really spent. */
    public synchronized void settle(long reserved, long spent) { committed += spent - reserved; }

    public synchronized boolean exhausted() { return exhausted; }

    public synchronized long remaining() { return Math.max(0, budget - committed); }
}
