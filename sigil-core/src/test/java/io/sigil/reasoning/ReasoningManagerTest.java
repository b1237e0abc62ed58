package io.sigil.reasoning;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.errors.InvalidInputError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReasoningManagerTest {

    /** A strategy that fails or answers as told, without a model. */
    record Fixed(StrategyName name, boolean succeeds) implements ReasoningStrategy {
        @Override
        public StrategyResult reason(ReasoningRequest request, EventSink events) {
            return succeeds
                    ? new StrategyResult(name, "answer from " + name, 0.7, List.of(), 10, Duration.ofMillis(2), "test", true, null)
                    : new StrategyResult(name, null, 0, List.of(), 5, Duration.ofMillis(1), "test", false, name + " broke");
        }
    }

    record Event(EventType type, Map<String, Object> payload) { }

    private static ReasoningManager manager(Set<StrategyName> succeeding, SimpleMeterRegistry meters) {
        List<ReasoningStrategy> all = new ArrayList<>();
        for (StrategyName n : StrategyName.values()) all.add(new Fixed(n, succeeding.contains(n)));
        return new ReasoningManager(all, meters);
    }

    @Test
    void selectsByComplexityBandsFirstMatchInclusive() {
        assertThat(StrategyName.forComplexity(0.0)).isEqualTo(StrategyName.DIRECT);
        assertThat(StrategyName.forComplexity(0.3)).isEqualTo(StrategyName.DIRECT);
        assertThat(StrategyName.forComplexity(0.31)).isEqualTo(StrategyName.CHAIN_OF_THOUGHT);
        assertThat(StrategyName.forComplexity(0.5)).isEqualTo(StrategyName.CHAIN_OF_THOUGHT);
        assertThat(StrategyName.forComplexity(0.6)).isEqualTo(StrategyName.TREE_OF_THOUGHTS);
        assertThat(StrategyName.forComplexity(0.7)).isEqualTo(StrategyName.TREE_OF_THOUGHTS);
        assertThat(StrategyName.forComplexity(0.8)).isEqualTo(StrategyName.REACT);
        assertThat(StrategyName.forComplexity(0.9)).isEqualTo(StrategyName.REACT);
        assertThat(StrategyName.forComplexity(0.95)).isEqualTo(StrategyName.MCTS);
        assertThat(StrategyName.forComplexity(1.0)).isEqualTo(StrategyName.MCTS);
    }

    @Test
    void namesParseAndUnknownNamesAreAClearError() {
        assertThat(StrategyName.parse("tree-of-thoughts")).isEqualTo(StrategyName.TREE_OF_THOUGHTS);
        assertThat(StrategyName.parse("CoT")).isEqualTo(StrategyName.CHAIN_OF_THOUGHT);
        assertThatThrownBy(() -> StrategyName.parse("magic")).isInstanceOf(InvalidInputError.class)
                .hasMessageContaining("magic")
                .satisfies(e -> assertThat(((InvalidInputError) e).hint()).contains("mcts").contains("direct"));
    }

    @Test
    void fallsBackAlongTheChainFromTheStrategyThatFailed() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReasoningManager m = manager(Set.of(StrategyName.CHAIN_OF_THOUGHT, StrategyName.DIRECT), meters);
        List<Event> events = new ArrayList<>();
        ReasoningOutcome o = m.reason(ReasoningRequest.of("hard task"), 0.95, (t, p) -> events.add(new Event(t, Map.<String, Object>copyOf(p))));

        assertThat(o.selected()).isEqualTo(StrategyName.MCTS);
        assertThat(o.attempts()).extracting(StrategyResult::strategy).containsExactly(StrategyName.MCTS,
                StrategyName.REACT, StrategyName.TREE_OF_THOUGHTS, StrategyName.CHAIN_OF_THOUGHT);
        assertThat(o.success()).isTrue();
        assertThat(o.result().answer()).isEqualTo("answer from chain_of_thought");
        assertThat(o.totalTokens()).isEqualTo(5 + 5 + 5 + 10);
        assertThat(o.fallbacks()).isEqualTo(3);

        assertThat(events).extracting(Event::type).containsExactly(EventType.REASONING_STRATEGY_SELECTED,
                EventType.REASONING_FALLBACK, EventType.REASONING_FALLBACK, EventType.REASONING_FALLBACK,
                EventType.REASONING_COMPLETED);
        assertThat(events.get(0).payload()).containsEntry("strategy", "mcts").containsEntry("complexity", 0.95);
        assertThat(events.get(1).payload()).isEqualTo(Map.of("from_strategy", "mcts", "to_strategy", "react",
                "reason", "mcts broke"));
        assertThat(events.get(3).payload()).containsEntry("from_strategy", "tree_of_thoughts")
                .containsEntry("to_strategy", "chain_of_thought");
        assertThat(events.get(4).payload()).containsEntry("strategy", "chain_of_thought").containsEntry("success", true)
                .containsEntry("tokens_used", 25L).containsEntry("fallbacks", 3);

        StrategyMetrics mcts = m.metrics().stream().filter(x -> x.strategy() == StrategyName.MCTS).findFirst().orElseThrow();
        assertThat(mcts.runs()).isEqualTo(1);
        assertThat(mcts.failures()).isEqualTo(1);
        assertThat(mcts.fallbacks()).isEqualTo(1);
        StrategyMetrics cot = m.metrics().stream().filter(x -> x.strategy() == StrategyName.CHAIN_OF_THOUGHT).findFirst().orElseThrow();
        assertThat(cot.successes()).isEqualTo(1);
        assertThat(cot.tokens()).isEqualTo(10);
        assertThat(cot.fallbacks()).isZero();
        assertThat(meters.get("sigil.reasoning.runs").tag("strategy", "react").tag("outcome", "failure").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("sigil.reasoning.fallbacks").tag("from_strategy", "react").tag("to_strategy", "tree_of_thoughts")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get("sigil.reasoning.tokens").tag("strategy", "chain_of_thought").counter().count()).isEqualTo(10);
    }

    @Test
    void whenDirectFailsTooTheOutcomeIsAFailureWithEveryAttempt() {
        ReasoningManager m = manager(Set.of(), new SimpleMeterRegistry());
        ReasoningOutcome o = m.reason(ReasoningRequest.of("t"), StrategyName.TREE_OF_THOUGHTS, EventSink.NONE);
        assertThat(o.success()).isFalse();
        assertThat(o.attempts()).extracting(StrategyResult::strategy).containsExactly(StrategyName.TREE_OF_THOUGHTS,
                StrategyName.CHAIN_OF_THOUGHT, StrategyName.DIRECT);
        assertThat(o.result().error()).isEqualTo("direct broke");
        assertThat(o.selectionReason()).isEqualTo("forced by the caller");
    }

    @Test
    void aForcedStrategyThatSucceedsRunsAlone() {
        ReasoningManager m = manager(Set.of(StrategyName.REACT), new SimpleMeterRegistry());
        ReasoningOutcome o = m.reason(ReasoningRequest.of("t"), StrategyName.REACT, null);
        assertThat(o.attempts()).hasSize(1);
        assertThat(o.result().answer()).isEqualTo("answer from react");
    }

    @Test
    void realStrategiesFallBackWhenTheModelFailsThem() {
        // Proposals come back empty, so tree-of-thoughts fails; chain-of-thought then answers.
        TestModel model = TestModel.scripted(r -> TestModel.text(
                r.system().equals(TreeOfThoughtsStrategy.PROPOSE_SYSTEM) ? "" : "1. Think.\nFinal answer: 42"));
        ReasoningManager m = ReasoningManager.standard(model, null, null, new SimpleMeterRegistry());
        ReasoningOutcome o = m.reason(ReasoningRequest.of("the question"), 0.6, EventSink.NONE);
        assertThat(o.attempts()).extracting(StrategyResult::strategy)
                .containsExactly(StrategyName.TREE_OF_THOUGHTS, StrategyName.CHAIN_OF_THOUGHT);
        assertThat(o.result().answer()).isEqualTo("42");
        assertThat(o.attempts().getFirst().error()).contains("no approaches");
    }
}
