package io.sigil.reasoning;

import java.time.Duration;

/** Totals for one strategy since the manager started: runs, outcomes, fallbacks away from it, tokens and time. */
public record StrategyMetrics(StrategyName strategy, long runs, long successes, long failures, long fallbacks,
                              long tokens, Duration time) {
}
