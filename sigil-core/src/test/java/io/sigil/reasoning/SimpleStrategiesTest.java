package io.sigil.reasoning;

import io.sigil.events.EventSink;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.StopReason;
import io.sigil.llm.Usage;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Direct and chain-of-thought: one call each, parsed into answer, confidence and trace. */
class SimpleStrategiesTest {

    @Test
    void directAnswersWithOneCallAndCountsItsTokens() {
        TestModel model = TestModel.queue(new ChatResponse("Paris.", List.of(), StopReason.END_TURN,
                Usage.of(30, 3), "m1", "test", Duration.ZERO, null));
        StrategyResult r = new DirectStrategy(model, "m1").reason(ReasoningRequest.of("Capital of France?"), EventSink.NONE);

        assertThat(r.success()).isTrue();
        assertThat(r.strategy()).isEqualTo(StrategyName.DIRECT);
        assertThat(r.answer()).isEqualTo("Paris.");
        assertThat(r.confidence()).isEqualTo(0.7);
        assertThat(r.tokensUsed()).isEqualTo(33);
        assertThat(r.model()).isEqualTo("test:m1");
        assertThat(r.trace()).extracting(TraceEntry::kind).containsExactly("note", "answer");
        ChatRequest sent = model.requests().getFirst();
        assertThat(sent.model()).isEqualTo("m1");
        assertThat(sent.maxTokens()).isLessThanOrEqualTo((int) StrategyName.DIRECT.tokens().max());
        assertThat(((io.sigil.llm.Message.User) sent.messages().getFirst()).text()).contains("Capital of France?");
    }

    @Test
    void aBudgetBelowTheStrategysRangeIsRefusedWithoutACall() {
        TestModel model = TestModel.queue();
        StrategyResult r = new ChainOfThoughtStrategy(model, null)
                .reason(new ReasoningRequest("task", null, 100L), EventSink.NONE);
        assertThat(r.success()).isFalse();
        assertThat(r.error()).startsWith("[TOKEN_BUDGET_EXCEEDED]");
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void usageBeyondTheBudgetFailsTheRun() {
        TestModel model = TestModel.queue(new ChatResponse("long", List.of(), StopReason.END_TURN,
                Usage.of(900, 1500), "m", "test", Duration.ZERO, null));
        StrategyResult r = new DirectStrategy(model, null).reason(new ReasoningRequest("t", null, 2000L), EventSink.NONE);
        assertThat(r.success()).isFalse();
        assertThat(r.tokensUsed()).isEqualTo(2400);
        assertThat(r.error()).contains("Total tokens 2400 exceeds budget 2000");
    }

    @Test
    void chainOfThoughtParsesNumberedStepsAndTheFinalAnswer() {
        TestModel model = TestModel.queueText("""
                1. The train leaves at 9:00 and travels 120 km.
                2. At 60 km/h that takes
                   two hours.
                Step 3: 9:00 plus two hours is 11:00.
                **Final answer:** 11:00""");
        StrategyResult r = new ChainOfThoughtStrategy(model, null)
                .reason(ReasoningRequest.of("When does the train arrive?"), EventSink.NONE);

        assertThat(r.success()).isTrue();
        assertThat(r.answer()).isEqualTo("11:00");
        assertThat(r.trace()).filteredOn(t -> t.kind().equals("step")).extracting(TraceEntry::text).containsExactly(
                "The train leaves at 9:00 and travels 120 km.", "At 60 km/h that takes two hours.",
                "9:00 plus two hours is 11:00.");
        assertThat(r.confidence()).isEqualTo(0.75);
        assertThat(model.requests().getFirst().system()).contains("Final answer:");
    }

    @Test
    void chainOfThoughtWithoutAFinalAnswerLineUsesTheWholeReplyAndSaysSo() {
        StrategyResult r = new ChainOfThoughtStrategy(TestModel.queueText("Tides come from the moon's pull."), null)
                .reason(ReasoningRequest.of("Explain tides"), EventSink.NONE);
        assertThat(r.success()).isTrue();
        assertThat(r.answer()).isEqualTo("Tides come from the moon's pull.");
        assertThat(r.confidence()).isEqualTo(0.5);
        assertThat(r.trace()).anySatisfy(t -> assertThat(t.text()).contains("no 'Final answer:' line"));
    }

    @Test
    void anEmptyReplyIsAFailure() {
        StrategyResult r = new DirectStrategy(TestModel.queueText("  "), null)
                .reason(ReasoningRequest.of("x"), EventSink.NONE);
        assertThat(r.success()).isFalse();
        assertThat(r.answer()).isNull();
        assertThat(r.error()).contains("empty answer");
    }

    @Test
    void scoresAreReadLeniently() {
        assertThat(Scores.parse("{\"score\": 7}", 10)).hasValue(7);
        assertThat(Scores.parse("Score: 8", 10)).hasValue(8);
        assertThat(Scores.parse(" 6 ", 10)).hasValue(6);
        assertThat(Scores.parse("I'd give it 9/10", 10)).hasValue(9);
        assertThat(Scores.parse("85 out of 100", 100)).hasValue(85);
        assertThat(Scores.parse("approach 2 looks fine", 10)).isEmpty();
        assertThat(Scores.parse("{\"score\": 42}", 10)).isEmpty();
        assertThat(Scores.parse("[offline test model] You said: rate", 10)).isEmpty();
    }
}
