package io.sigil.llm;

import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What the conformance suite cannot see from outside: threads, partial streams, delay arithmetic. */
class ResilientChatModelTest {
    private final List<Duration> sleeps = new ArrayList<>();
    private final ProviderBreakers breakers = new ProviderBreakers(5, Duration.ofSeconds(30), new MutableClock());

    private static LlmError overloaded() {
        return new LlmError("fake", LlmError.Kind.OVERLOADED, 529, "req_x", null, "overloaded", null, null);
    }

    /** Streams "partial " and then fails, {@code failures} times; then streams "done". */
    private static ChatModel flaky(int failures, AtomicInteger attempts) {
        return new ChatModel() {
            @Override
            public ChatResponse chat(ChatRequest request) { throw new UnsupportedOperationException(); }

            @Override
            public ChatResponse stream(ChatRequest request, StreamListener listener) {
                if (attempts.incrementAndGet() <= failures) {
                    listener.onText("partial ");
                    throw overloaded();
                }
                listener.onText("done");
                return TestModel.text("done");
            }

            @Override
            public String provider() { return "fake"; }
        };
    }

    private ResilientChatModel resilient(ChatModel inner) {
        return new ResilientChatModel(inner, RetryPolicy.of(3, Duration.ofSeconds(5)), breakers.forProvider("fake"),
                sleeps::add, new Random(1));
    }

    @Test
    void deliversStreamEventsOnTheCallersThread() {
        List<Thread> threads = new ArrayList<>();
        ChatResponse response = resilient(TestModel.offline()).stream(ChatRequest.of("hi"), new StreamListener() {
            @Override
            public void onText(String delta) { threads.add(Thread.currentThread()); }

            @Override
            public void onComplete(ChatResponse r) { threads.add(Thread.currentThread()); }
        });

        assertThat(response.text()).contains("offline test model");
        assertThat(threads).hasSize(2).allMatch(t -> t == Thread.currentThread());
    }

    @Test
    void doesNotRetryAStreamThatAlreadyDeliveredText() {
        AtomicInteger attempts = new AtomicInteger();
        List<String> deltas = new ArrayList<>();

        LlmError e = catchThrowableOfType(LlmError.class,
                () -> resilient(flaky(1, attempts)).stream(ChatRequest.of("hi"), deltas::add));

        assertThat(e.kind()).isEqualTo(LlmError.Kind.OVERLOADED);
        assertThat(attempts).hasValue(1);
        assertThat(deltas).containsExactly("partial ");
    }

    @Test
    void passesNonProviderFailuresThroughUntouched() {
        ResilientChatModel model = resilient(TestModel.queue());

        IllegalStateException e = catchThrowableOfType(IllegalStateException.class, () -> model.chat(ChatRequest.of("x")));

        assertThat(e).hasMessageContaining("script exhausted");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void capsTheProvidersRetryAfter() {
        LlmError slowDown = new LlmError("fake", LlmError.Kind.RATE_LIMITED, 429, null, Duration.ofMinutes(10), "429",
                null, null);

        assertThat(RetryPolicy.DEFAULT.delay(1, slowDown, new Random(1))).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryPolicy.DEFAULT.delay(10, overloaded(), new Random(1))).isBetween(Duration.ofSeconds(4),
                Duration.ofSeconds(8));
    }

    @Test
    void aCallersDeadlineBoundsTheCallOnTheAttemptsOwnThreadWithoutASecondHandOff() {
        List<String> threadNames = new ArrayList<>();
        AtomicInteger interrupted = new AtomicInteger();
        ChatModel slow = TestModel.scripted(r -> {
            threadNames.add(Thread.currentThread().getName());
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            return TestModel.text("late");
        });
        long start = System.nanoTime();
        LlmError e = catchThrowableOfType(LlmError.class,
                () -> resilient(slow).chat(ChatRequest.of("hi"), Duration.ofMillis(200)));
        assertThat(e.kind()).isEqualTo(LlmError.Kind.TIMEOUT);
        assertThat(e.getMessage()).contains("timed out after 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // not the 5 s policy
        assertThat(threadNames).singleElement().asString().startsWith("llm-").doesNotStartWith("llm-deadline");
    }

    @Test
    void aDeadlineShorterThanTheBackoffEndsTheRetries() {
        AtomicInteger attempts = new AtomicInteger();
        ChatModel failing = TestModel.scripted(r -> {
            attempts.incrementAndGet();
            throw new LlmError("fake", LlmError.Kind.OVERLOADED, 529, "req_x", Duration.ofSeconds(10), "overloaded",
                    null, null);
        });
        LlmError e = catchThrowableOfType(LlmError.class,
                () -> resilient(failing).chat(ChatRequest.of("hi"), Duration.ofSeconds(2)));
        assertThat(e.kind()).isEqualTo(LlmError.Kind.TIMEOUT);
        assertThat(attempts).hasValue(1);
        assertThat(sleeps).isEmpty();
    }
}
