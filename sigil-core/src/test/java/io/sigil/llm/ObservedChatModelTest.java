package io.sigil.llm;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.llm.test.TestModel;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;
import io.sigil.tokens.TokenTracker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ObservedChatModelTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<LlmCall> calls = new CopyOnWriteArrayList<>();

    private static ChatResponse answer(long in, long out, long cacheRead) {
        return new ChatResponse("ok", List.of(), StopReason.END_TURN, new Usage(in, out, cacheRead, 0), "m1", "test",
                Duration.ZERO, "req_1");
    }

    @Test
    void countsTokensAndLatencyPerProviderAndModel() {
        ObservedChatModel model = new ObservedChatModel(TestModel.queue(answer(100, 20, 60), answer(50, 10, 0)),
                registry, calls::add);

        model.chat(ChatRequest.of("a"));
        model.stream(ChatRequest.of("b"), StreamListener.NONE);

        assertThat(registry.get("sigil.llm.tokens").tags("provider", "test", "model", "m1", "type", "input")
                .counter().count()).isEqualTo(150);
        assertThat(registry.get("sigil.llm.tokens").tags("type", "output").counter().count()).isEqualTo(30);
        assertThat(registry.get("sigil.llm.tokens").tags("type", "cache_read").counter().count()).isEqualTo(60);
        assertThat(registry.get("sigil.llm.latency").tags("provider", "test", "model", "m1").timer().count()).isEqualTo(2);
    }

    @Test
    void tellsTheListenerAboutEveryCallWithItsMetadata() {
        ObservedChatModel model = new ObservedChatModel(TestModel.queue(answer(5, 1, 0)), registry, calls::add);

        model.stream(ChatRequest.builder().user("hi").metadata(ChatRequest.SESSION_ID, "s-1").build(), StreamListener.NONE);
        assertThatThrownBy(() -> model.chat(ChatRequest.of("again"))).isInstanceOf(IllegalStateException.class);

        assertThat(calls).hasSize(2);
        assertThat(calls.getFirst().sessionId()).isEqualTo("s-1");
        assertThat(calls.getFirst().streamed()).isTrue();
        assertThat(calls.getFirst().usage()).isEqualTo(new Usage(5, 1, 0, 0));
        assertThat(calls.getFirst().response().requestId()).isEqualTo("req_1");
        assertThat(calls.get(1).succeeded()).isFalse();
        assertThat(calls.get(1).error()).hasMessageContaining("script exhausted");
    }

    @Test
    void enforcesTheTrackersBudgetBeforeAndAfter() {
        TokenTracker tracker = new TokenTracker(TokenBudget.ofTotal(100));
        TestModel inner = TestModel.queue(answer(60, 30, 0), answer(5, 30, 0));
        ObservedChatModel model = new ObservedChatModel(inner, registry, calls::add).withTracker(tracker);

        model.chat(ChatRequest.of("first"));
        assertThatThrownBy(() -> model.chat(ChatRequest.of("second"))).isInstanceOf(TokenBudgetExceeded.class);
        assertThat(tracker.used().totalTokens()).isEqualTo(125);
        assertThatThrownBy(() -> model.chat(ChatRequest.of("third"))).isInstanceOf(TokenBudgetExceeded.class);
        assertThat(inner.requests()).hasSize(2);
    }

    @Test
    void aFailingListenerDoesNotBreakTheCall() {
        ObservedChatModel model = new ObservedChatModel(TestModel.offline(), registry, c -> {
            throw new IllegalStateException("listener bug");
        });

        assertThat(model.chat(ChatRequest.of("hi")).text()).contains("offline test model");
    }
}
