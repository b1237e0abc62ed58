package io.sigil.reasoning;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a strategy produced (sigil-design.md section 6). A failed result keeps the trace and tokens spent up to
 * the failure, has no answer, confidence 0 and an error message.
 */
public record StrategyResult(StrategyName strategy, String answer, double confidence, List<TraceEntry> trace,
                             long tokensUsed, Duration time, String model, boolean success, String error) {
    public StrategyResult {
        Objects.requireNonNull(strategy, "strategy");
        trace = List.copyOf(trace);
        if (confidence < 0 || confidence > 1) throw new IllegalArgumentException("confidence must be in 0..1");
        if (success && answer == null) throw new IllegalArgumentException("a successful result needs an answer");
    }
}
