package io.sigil.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link RateLimiter} adapter does the same way (in-process, Redis): a full bucket of {@code limit}
 * requests, then refusals with a Retry-After of at least a second, independent keys, and no more grants than the
 * limit however many threads ask at once.
 */
public abstract class RateLimiterConformance {

    protected abstract RateLimiter limiter();

    /** A key no other test (or test run) uses. */
    protected String key() { return "conf-" + UUID.randomUUID(); }

    @Test
    void aFullBucketGrantsTheLimitThenRefuses() {
        RateLimiter l = limiter();
        String key = key();
        for (int i = 0; i < 5; i++) {
            RateLimiter.Decision d = l.acquire(key, 5);
            assertThat(d.allowed()).as("request %d", i + 1).isTrue();
            assertThat(d.limit()).isEqualTo(5);
            assertThat(d.remaining()).isEqualTo(4 - i);
            assertThat(d.retryAfterSeconds()).isZero();
        }
        RateLimiter.Decision refused = l.acquire(key, 5);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isBetween(1L, 12L);
        assertThat(refused.resetSeconds()).isBetween(1L, 60L);
    }

    @Test
    void keysAreIndependent() {
        RateLimiter l = limiter();
        String a = key();
        String b = key();
        assertThat(l.acquire(a, 1).allowed()).isTrue();
        assertThat(l.acquire(a, 1).allowed()).isFalse();
        assertThat(l.acquire(b, 1).allowed()).isTrue();
    }

    @Test
    void concurrentCallersNeverGetMoreThanTheLimit() throws Exception {
        RateLimiter l = limiter();
        String key = key();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) calls.add(() -> l.acquire(key, 50).allowed());
            long granted = 0;
            for (Future<Boolean> f : pool.invokeAll(calls)) if (f.get()) granted++;
            // Refill during the test adds at most a few tokens (50 per minute); never 200.
            assertThat(granted).isBetween(50L, 55L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> limiter().acquire(key(), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
