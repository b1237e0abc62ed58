package io.sigil.reasoning;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-strategy counters, published to Micrometer ({@code sigil.reasoning.runs{strategy,outcome}},
 * {@code sigil.reasoning.fallbacks{from_strategy,to_strategy}}, {@code sigil.reasoning.tokens{strategy}},
 * {@code sigil.reasoning.duration{strategy}}; Prometheus shows them as {@code sigil_reasoning_*}) and kept in
 * process for {@link #snapshot()}. One instance per process (the orchestrator shares it across runs): meters are
 * registered once, and the in-process totals cover every run.
 */
public final class ReasoningMetrics {

    private final class PerStrategy {
        final LongAdder runs = new LongAdder();
        final LongAdder successes = new LongAdder();
        final LongAdder failures = new LongAdder();
        final LongAdder fallbacks = new LongAdder();
        final LongAdder tokens = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final Counter success;
        final Counter failure;
        final Counter tokenCounter;
        final Timer timer;

        PerStrategy(StrategyName s) {
            success = Counter.builder("sigil.reasoning.runs").tag("strategy", s.wireName()).tag("outcome", "success")
                    .description("Reasoning strategy runs").register(meters);
            failure = Counter.builder("sigil.reasoning.runs").tag("strategy", s.wireName()).tag("outcome", "failure")
                    .description("Reasoning strategy runs").register(meters);
            tokenCounter = Counter.builder("sigil.reasoning.tokens").tag("strategy", s.wireName())
                    .description("Tokens spent by reasoning strategies").register(meters);
            timer = Timer.builder("sigil.reasoning.duration").tag("strategy", s.wireName())
                    .description("Reasoning strategy run time").register(meters);
        }
    }

    private final MeterRegistry meters;
    private final Map<StrategyName, PerStrategy> byStrategy = new EnumMap<>(StrategyName.class);

    public ReasoningMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (StrategyName s : StrategyName.values()) byStrategy.put(s, new PerStrategy(s));
    }

    void recordRun(StrategyResult r) {
        PerStrategy m = byStrategy.get(r.strategy());
        m.runs.increment();
        (r.success() ? m.successes : m.failures).increment();
        (r.success() ? m.success : m.failure).increment();
        m.tokens.add(r.tokensUsed());
        m.tokenCounter.increment(r.tokensUsed());
        m.nanos.add(r.time().toNanos());
        m.timer.record(r.time().toNanos(), TimeUnit.NANOSECONDS);
    }

    void recordFallback(StrategyName from, StrategyName to) {
        byStrategy.get(from).fallbacks.increment();
        Counter.builder("sigil.reasoning.fallbacks").tag("from_strategy", from.wireName())
                .tag("to_strategy", to.wireName()).description("Reasoning fallbacks").register(meters).increment();
    }

    List<StrategyMetrics> snapshot() {
        return byStrategy.entrySet().stream().map(e -> {
            PerStrategy m = e.getValue();
            return new StrategyMetrics(e.getKey(), m.runs.sum(), m.successes.sum(), m.failures.sum(),
                    m.fallbacks.sum(), m.tokens.sum(), Duration.ofNanos(m.nanos.sum()));
        }).toList();
    }
}
