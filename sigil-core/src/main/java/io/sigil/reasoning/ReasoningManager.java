package io.sigil.reasoning;

import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.ChatModel;
import io.sigil.tools.ToolExecutor;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Picks a strategy by complexity (direct 0-0.3, chain_of_thought 0.3-0.5, tree_of_thoughts 0.5-0.7, react 0.7-0.9,
 * mcts 0.9-1.0; first match, inclusive) or by name, runs it, and on failure falls back along mcts, react,
 * tree_of_thoughts, chain_of_thought, direct from the strategy that failed, until one succeeds or direct has
 * failed too. Emits {@code reasoning.strategy_selected}, {@code reasoning.fallback} and
 * {@code reasoning.completed}, and counts runs, outcomes, fallbacks, tokens and time per strategy.
 */
public final class ReasoningManager {
    private final Map<StrategyName, ReasoningStrategy> strategies;
    private final ReasoningMetrics metrics;

    public ReasoningManager(List<ReasoningStrategy> strategies, MeterRegistry meters) {
        this(strategies, new ReasoningMetrics(Objects.requireNonNull(meters, "meters")));
    }

    /** With metrics shared by other managers (one manager per request, one set of meters per process). */
    public ReasoningManager(List<ReasoningStrategy> strategies, ReasoningMetrics metrics) {
        Map<StrategyName, ReasoningStrategy> byName = new EnumMap<>(StrategyName.class);
        for (ReasoningStrategy s : strategies) {
            if (byName.put(s.name(), s) != null) throw new IllegalArgumentException("two strategies named " + s.name());
        }
        for (StrategyName n : StrategyName.values()) {
            if (!byName.containsKey(n)) throw new IllegalArgumentException("missing strategy " + n);
        }
        this.strategies = byName;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The five standard strategies over one model; ReAct gets {@code tools} (may be empty). */
    public static ReasoningManager standard(ChatModel model, String modelName, ToolExecutor tools, MeterRegistry meters) {
        return standard(model, modelName, tools, new ReasoningMetrics(Objects.requireNonNull(meters, "meters")));
    }

    /** The five standard strategies, counted in shared {@code metrics}. */
    public static ReasoningManager standard(ChatModel model, String modelName, ToolExecutor tools, ReasoningMetrics metrics) {
        return standard(model, modelName, tools, io.sigil.approval.ApprovalGate.NONE, metrics);
    }

    /** The five standard strategies; ReAct asks {@code gate} before each tool call (see {@link ReactStrategy}). */
    public static ReasoningManager standard(ChatModel model, String modelName, ToolExecutor tools,
                                            io.sigil.approval.ApprovalGate gate, ReasoningMetrics metrics) {
        return new ReasoningManager(List.of(
                new DirectStrategy(model, modelName),
                new ChainOfThoughtStrategy(model, modelName),
                new TreeOfThoughtsStrategy(model, modelName),
                new ReactStrategy(model, modelName, tools, ReactStrategy.DEFAULT_MAX_ITERATIONS, gate),
                new MctsStrategy(model, modelName)), metrics);
    }

    /** Reasons with the strategy the complexity selects. */
    public ReasoningOutcome reason(ReasoningRequest request, double complexity, EventSink events) {
        StrategyName s = StrategyName.forComplexity(complexity);
        return run(request, s, String.format(Locale.ROOT, "complexity %.2f is in %s's band %.1f-%.1f",
                complexity, s, s.minComplexity(), s.maxComplexity()), complexity, events);
    }

    /** Reasons with the named strategy (still falling back if it fails). */
    public ReasoningOutcome reason(ReasoningRequest request, StrategyName forced, EventSink events) {
        return run(request, forced, "forced by the caller", null, events);
    }

    public List<StrategyMetrics> metrics() { return metrics.snapshot(); }

    private ReasoningOutcome run(ReasoningRequest request, StrategyName first, String why, Double complexity,
                                EventSink sink) {
        EventSink events = sink == null ? EventSink.NONE : sink;
        Map<String, Object> selected = new LinkedHashMap<>();
        selected.put("strategy", first.wireName());
        selected.put("reason", why);
        if (complexity != null) selected.put("complexity", complexity);
        events.emit(EventType.REASONING_STRATEGY_SELECTED, selected);

        List<StrategyResult> attempts = new ArrayList<>();
        StrategyName current = first;
        while (true) {
            StrategyResult result = strategies.get(current).reason(request, events);
            attempts.add(result);
            metrics.recordRun(result);
            Optional<StrategyName> next = current.fallback();
            if (result.success() || next.isEmpty() || Thread.currentThread().isInterrupted()) break;
            events.emit(EventType.REASONING_FALLBACK, Map.of("from_strategy", current.wireName(),
                    "to_strategy", next.get().wireName(), "reason", String.valueOf(result.error())));
            metrics.recordFallback(current, next.get());
            current = next.get();
        }
        StrategyResult last = attempts.getLast();
        Map<String, Object> completed = new LinkedHashMap<>();
        completed.put("strategy", last.strategy().wireName());
        completed.put("success", last.success());
        completed.put("confidence", last.confidence());
        completed.put("tokens_used", attempts.stream().mapToLong(StrategyResult::tokensUsed).sum());
        completed.put("duration_ms", attempts.stream().mapToLong(r -> r.time().toMillis()).sum());
        completed.put("fallbacks", attempts.size() - 1);
        if (last.model() != null) completed.put("model", last.model());
        if (last.error() != null) completed.put("error", last.error());
        events.emit(EventType.REASONING_COMPLETED, completed);
        return new ReasoningOutcome(first, why, attempts);
    }
}
