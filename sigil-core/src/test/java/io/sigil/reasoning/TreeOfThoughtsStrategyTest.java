package io.sigil.reasoning;

import io.sigil.events.EventSink;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.Message;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class TreeOfThoughtsStrategyTest {

    private static String lastUser(ChatRequest r) {
        return ((Message.User) r.messages().getLast()).text();
    }

    /** Proposes approaches A, B, C; scores B 9, C 6, A 3; solves along whichever approach it is given. */
    private static TestModel model() {
        AtomicInteger proposals = new AtomicInteger();
        return TestModel.scripted(r -> {
            if (r.system().equals(TreeOfThoughtsStrategy.PROPOSE_SYSTEM)) {
                return TestModel.text("Approach " + "ABC".charAt(proposals.getAndIncrement()) + ": a distinct plan");
            }
            if (r.system().equals(TreeOfThoughtsStrategy.SCORE_SYSTEM)) {
                String u = lastUser(r);
                return TestModel.text(u.contains("Approach B") ? "{\"score\": 9}" : u.contains("Approach C") ? "{\"score\": 6}" : "{\"score\": 3}");
            }
            String followed = lastUser(r).contains("Approach B") ? "B" : "other";
            return TestModel.text("Worked it through.\nFinal answer: solved with " + followed);
        });
    }

    @Test
    void proposesThreeScoresEachAndRefinesTheBest() {
        TestModel model = model();
        StrategyResult r = new TreeOfThoughtsStrategy(model, null).reason(ReasoningRequest.of("Plan a launch"), EventSink.NONE);

        assertThat(r.success()).isTrue();
        assertThat(r.answer()).isEqualTo("solved with B");
        assertThat(r.confidence()).isEqualTo(0.9);
        List<ChatRequest> sent = model.requests();
        assertThat(sent).hasSize(7);
        assertThat(sent.subList(0, 3)).allSatisfy(q -> assertThat(q.temperature()).isEqualTo(0.8));
        assertThat(sent.subList(3, 6)).allSatisfy(q -> {
            assertThat(q.temperature()).isEqualTo(0.3);
            assertThat(q.outputSchema()).isNotNull();
        });
        // Later proposals see the earlier ones, so the model can make them distinct.
        assertThat(lastUser(sent.get(2))).contains("Approach A").contains("Approach B");
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("score")).extracting(TraceEntry::text)
                .containsExactly("approach 1: 3/10", "approach 2: 9/10", "approach 3: 6/10");
        assertThat(r.trace()).anySatisfy(t -> assertThat(t).isEqualTo(new TraceEntry("selected", "approach 2 (score 9)")));
    }

    @Test
    void unreadableScoresAreNeutralAndNoted() {
        TestModel model = TestModel.scripted(q -> TestModel.text("This approach looks promising."));
        StrategyResult r = new TreeOfThoughtsStrategy(model, null).reason(ReasoningRequest.of("Plan a launch"), EventSink.NONE);
        assertThat(r.success()).isTrue();
        assertThat(r.confidence()).isEqualTo(0.5);
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("note") && t.text().contains("neutral 5")).hasSize(3);
    }

    @Test
    void theNumberOfApproachesIsConfigurableUpToFive() {
        TestModel model = TestModel.scripted(r -> TestModel.text("{\"score\": 4}"));
        new TreeOfThoughtsStrategy(model, null, 5).reason(ReasoningRequest.of("t"), EventSink.NONE);
        assertThat(model.requests()).hasSize(11);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TreeOfThoughtsStrategy(model, null, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failsWhenTheModelProposesNothing() {
        StrategyResult r = new TreeOfThoughtsStrategy(TestModel.scripted(q -> TestModel.text("")), null)
                .reason(ReasoningRequest.of("t"), EventSink.NONE);
        assertThat(r.success()).isFalse();
        assertThat(r.error()).contains("no approaches");
        assertThat(r.trace()).filteredOn(t -> t.text().contains("was empty")).hasSize(3);
    }

}
