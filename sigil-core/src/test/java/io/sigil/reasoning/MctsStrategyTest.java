package io.sigil.reasoning;

import io.sigil.llm.ChatRequest;
import io.sigil.llm.Message;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MctsStrategyTest {

    private static String lastUser(ChatRequest r) { return ((Message.User) r.messages().getLast()).text(); }

    /** Steps are numbered; step 2 is "good". Paths through the good step score 90, others 20. */
    private static TestModel model() {
        AtomicInteger steps = new AtomicInteger();
        return TestModel.scripted(r -> {
            if (r.system().equals(MctsStrategy.EXPAND_SYSTEM)) {
                int k = steps.incrementAndGet();
                return TestModel.text(k == 2 ? "good step 2" : "step " + k);
            }
            if (r.system().equals(MctsStrategy.SCORE_SYSTEM)) {
                return TestModel.text(lastUser(r).contains("good step") ? "{\"score\": 90}" : "{\"score\": 20}");
            }
            return TestModel.text("Final answer: done via " + (lastUser(r).contains("1. good step 2") ? "good path" : "other"));
        });
    }

    @Test
    void searchesExploresAndFollowsTheBestPathByAverageValue() {
        TestModel model = model();
        StrategyResult r = new MctsStrategy(model, null, MctsConfig.DEFAULTS.withSimulations(12))
                .reason(ReasoningRequest.of("Design a rollout"), null);

        assertThat(r.success()).isTrue();
        assertThat(r.answer()).isEqualTo("done via good path");
        assertThat(r.confidence()).isCloseTo(0.9, within(1e-9));
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("simulation")).hasSize(12);
        List<ChatRequest> sent = model.requests();
        assertThat(sent).hasSize(12 + 12 + 1);
        List<String> expansions = sent.stream().filter(q -> q.system().equals(MctsStrategy.EXPAND_SYSTEM))
                .map(MctsStrategyTest::lastUser).toList();
        // The first five simulations fill the root's children; later ones expand below them.
        assertThat(expansions.subList(0, 5)).allSatisfy(u -> assertThat(u).contains("(none yet)"));
        // Exploitation: the good branch is deepened...
        assertThat(expansions).anySatisfy(u -> assertThat(u).contains("1. good step 2"));
        // ...and exploration: UCB1 also revisits a weaker branch.
        assertThat(expansions).anySatisfy(u -> assertThat(u).contains("Reasoning so far:\n1. step "));
        assertThat(sent).filteredOn(q -> q.system().equals(MctsStrategy.EXPAND_SYSTEM))
                .allSatisfy(q -> assertThat(q.temperature()).isEqualTo(0.8));
        assertThat(sent).filteredOn(q -> q.system().equals(MctsStrategy.SCORE_SYSTEM))
                .allSatisfy(q -> assertThat(q.temperature()).isEqualTo(0.3));
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("step")).first()
                .satisfies(t -> assertThat(t.text()).isEqualTo("1. good step 2"));
    }

    @Test
    void valuesAreBackedUpToTheRoot() {
        MctsStrategy.Node root = new MctsStrategy.Node(null, "task");
        MctsStrategy.Node a = new MctsStrategy.Node(root, "a");
        MctsStrategy.Node b = new MctsStrategy.Node(a, "b");
        root.children.add(a);
        a.children.add(b);
        MctsStrategy.backUp(b, 80);
        MctsStrategy.backUp(a, 40);
        assertThat(root.visits).isEqualTo(2);
        assertThat(root.average()).isEqualTo(60);
        assertThat(a.average()).isEqualTo(60);
        assertThat(b.visits).isEqualTo(1);
        assertThat(b.path()).containsExactly("a", "b");
    }

    @Test
    void ucb1PrefersUnvisitedThenBalancesValueAndExploration() {
        MctsStrategy s = new MctsStrategy(TestModel.offline(), null);
        MctsStrategy.Node root = new MctsStrategy.Node(null, "task");
        MctsStrategy.Node strong = new MctsStrategy.Node(root, "strong");
        MctsStrategy.Node weak = new MctsStrategy.Node(root, "weak");
        root.children.addAll(List.of(strong, weak));
        for (int i = 0; i < 9; i++) MctsStrategy.backUp(strong, 60);
        assertThat(s.selectByUcb(root)).isSameAs(weak);
        MctsStrategy.backUp(weak, 40);
        // strong: 0.6 + 1.414*sqrt(ln 10 / 9) = 1.32; weak: 0.4 + 1.414*sqrt(ln 10 / 1) = 2.55: explore.
        assertThat(s.selectByUcb(root)).isSameAs(weak);
        for (int i = 0; i < 40; i++) MctsStrategy.backUp(strong, 60);
        for (int i = 0; i < 20; i++) MctsStrategy.backUp(weak, 0);
        // strong: 0.6 + 1.414*sqrt(ln 70 / 49) = 1.02; weak: 0.02 + 1.414*sqrt(ln 70 / 21) = 0.66: exploit.
        assertThat(s.selectByUcb(root)).isSameAs(strong);
    }

    @Test
    void aSmallBudgetReducesTheSimulations() {
        TestModel model = model();
        StrategyResult r = new MctsStrategy(model, null).reason(new ReasoningRequest("Design a rollout", null, 6_000L), null);

        assertThat(r.success()).isTrue();
        assertThat(r.tokensUsed()).isLessThanOrEqualTo(6_000);
        long simulations = r.trace().stream().filter(t -> t.kind().equals("simulation")).count();
        assertThat(simulations).isBetween(1L, 49L);
        assertThat(r.trace()).anySatisfy(t -> assertThat(t.text()).startsWith("budget: stopped after " + simulations + " of 50"));
    }

    @Test
    void unreadableScoresCountAsNeutral() {
        TestModel model = TestModel.scripted(q -> TestModel.text("a thought"));
        StrategyResult r = new MctsStrategy(model, null, MctsConfig.DEFAULTS.withSimulations(3))
                .reason(ReasoningRequest.of("t"), null);
        assertThat(r.success()).isTrue();
        assertThat(r.confidence()).isEqualTo(0.5);
        assertThat(r.trace()).filteredOn(t -> t.text().contains("neutral 50")).hasSize(3);
    }
}
