package io.sigil.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decorator builder puts retries (honouring retry-after) and a breaker around any ChatModel. */
class ResilienceBuilderTest {
    /** Fails with a 429 carrying {@code retryAfter} {@code failures} times, then answers; records call times. */
    private static final class RateLimited implements ChatModel {
        final List<Long> calls = new ArrayList<>();
        private final int failures;
        private final Duration retryAfter;

        RateLimited(int failures, Duration retryAfter) {
            this.failures = failures;
            this.retryAfter = retryAfter;
        }

        @Override
        public synchronized ChatResponse chat(ChatRequest request) {
            calls.add(System.nanoTime());
            if (calls.size() <= failures) {
                throw new LlmError("custom", LlmError.Kind.RATE_LIMITED, 429, "req_" + calls.size(), retryAfter,
                        "rate limited", null, null);
            }
            return TestModel.text("ok");
        }

        @Override
        public ChatResponse stream(ChatRequest request, StreamListener listener) { return chat(request); }

        @Override
        public String provider() { return "custom"; }
    }

    @Test
    void retriesAfterTheWaitTheProviderAsksFor() {
        RateLimited inner = new RateLimited(1, Duration.ofMillis(300));
        ChatModel model = ResilientChatModel.builder(inner).maxRetries(2).timeout(Duration.ofSeconds(30)).build();

        assertThat(model.chat(ChatRequest.of("hi")).text()).isEqualTo("ok");
        assertThat(inner.calls).hasSize(2);
        assertThat(Duration.ofNanos(inner.calls.get(1) - inner.calls.get(0))).as("waited the retry-after")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void givesUpAfterMaxRetries() {
        RateLimited inner = new RateLimited(5, Duration.ofMillis(1));
        ChatModel model = ResilientChatModel.builder(inner).maxRetries(1).build();

        assertThatThrownBy(() -> model.chat(ChatRequest.of("hi"))).isInstanceOf(LlmError.class);
        assertThat(inner.calls).hasSize(2);
    }

    @Test
    void opensTheBreakerAfterTheConfiguredFailures() {
        RateLimited inner = new RateLimited(100, Duration.ofMillis(1));
        ResilientChatModel model = ResilientChatModel.builder(inner).maxRetries(0)
                .breaker(2, Duration.ofMinutes(1)).build();

        for (int i = 0; i < 2; i++) assertThatThrownBy(() -> model.chat(ChatRequest.of("hi"))).isInstanceOf(LlmError.class);
        assertThatThrownBy(() -> model.chat(ChatRequest.of("hi"))).isInstanceOf(LlmError.class);

        assertThat(model.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(inner.calls).as("the open breaker stopped the third call").hasSize(2);
    }

    @Test
    void sharesOneBreakerPerProviderWhenAsked() {
        ProviderBreakers shared = new ProviderBreakers();
        ResilientChatModel a = ResilientChatModel.builder(TestModel.offline()).breakers(shared).build();
        ResilientChatModel b = ResilientChatModel.builder(TestModel.offline()).breakers(shared).build();
        ResilientChatModel own = ResilientChatModel.builder(TestModel.offline()).build();

        assertThat(a.breaker()).isSameAs(b.breaker()).isNotSameAs(own.breaker());
    }
}
