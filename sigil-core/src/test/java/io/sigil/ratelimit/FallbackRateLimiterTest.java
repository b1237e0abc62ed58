package io.sigil.ratelimit;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FallbackRateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicBoolean sharedUp = new AtomicBoolean(true);
    private final AtomicInteger sharedCalls = new AtomicInteger();
    private final RateLimiter shared = (key, limit) -> {
        sharedCalls.incrementAndGet();
        if (!sharedUp.get()) throw new IllegalStateException("connection refused");
        return new RateLimiter.Decision(true, limit, 99, 1, 0);
    };
    private final FallbackRateLimiter limiter = new FallbackRateLimiter(shared,
            new TokenBucketRateLimiter(now::get, 1000), Duration.ofSeconds(1), now::get);

    @Test
    void usesTheSharedLimiterWhileItAnswers() {
        assertThat(limiter.acquire("k", 2).remaining()).isEqualTo(99);
        assertThat(limiter.degraded()).isEmpty();
    }

    @Test
    void fallsBackPerReplicaRetriesOncePerIntervalAndRecovers() {
        sharedUp.set(false);
        RateLimiter.Decision first = limiter.acquire("k", 2);
        assertThat(first.allowed()).isTrue();
        assertThat(first.remaining()).as("the local bucket answered").isEqualTo(1);
        assertThat(limiter.degraded()).hasValueSatisfying(p -> assertThat(p).contains("connection refused"));

        int calls = sharedCalls.get();
        assertThat(limiter.acquire("k", 2).allowed()).isTrue();
        assertThat(limiter.acquire("k", 2).allowed()).as("the local limit holds while degraded").isFalse();
        assertThat(sharedCalls.get()).as("no retry before the interval").isEqualTo(calls);

        now.addAndGet(Duration.ofMillis(1500).toNanos());
        sharedUp.set(true);
        assertThat(limiter.acquire("k", 2).remaining()).isEqualTo(99);
        assertThat(limiter.degraded()).isEmpty();
    }
}
