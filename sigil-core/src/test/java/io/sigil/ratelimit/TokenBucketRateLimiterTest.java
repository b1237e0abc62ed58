package io.sigil.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();
    private final TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(nanos::get, 1000);

    @Test
    void burstIsTheLimitThenRefillsAtTheRate() {
        for (int i = 0; i < 60; i++) assertThat(limiter.acquire("k", 60).allowed()).isTrue();
        RateLimiter.Decision refused = limiter.acquire("k", 60);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.resetSeconds()).isEqualTo(60);
        nanos.addAndGet(1_000_000_000L);
        assertThat(limiter.acquire("k", 60).allowed()).isTrue();
        assertThat(limiter.acquire("k", 60).allowed()).isFalse();
        assertThat(limiter.acquire("other", 60).remaining()).as("buckets are per key").isEqualTo(59);
    }

    @Test
    void exactUnderConcurrency() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 5000; i++) results.add(pool.submit(() -> limiter.acquire("shared", 777).allowed()));
            long allowed = 0;
            for (Future<Boolean> f : results) if (f.get()) allowed++;
            assertThat(allowed).isEqualTo(777);
        }
    }

    @Test
    void slowLimitsGiveLongRetryAfter() {
        limiter.acquire("slow", 1);
        assertThat(limiter.acquire("slow", 1).retryAfterSeconds()).isEqualTo(60);
    }

    @Test
    void idleBucketsAreEvictedWhenThereAreTooMany() {
        TokenBucketRateLimiter small = new TokenBucketRateLimiter(nanos::get, 10);
        for (int i = 0; i < 11; i++) small.acquire("ip" + i, 60);
        nanos.addAndGet(61_000_000_000L);
        small.acquire("new", 60);
        assertThat(small.size()).isEqualTo(1);
    }
}
