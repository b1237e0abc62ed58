package io.sigil.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets in this process's memory: each key starts full ({@code limit} requests, the burst) and refills at
 * {@code limit} per minute. Full buckets carry no information, so when more than {@code maxKeys} buckets exist
 * the full ones are dropped, which bounds memory under a flood of distinct client addresses.
 */
public final class TokenBucketRateLimiter implements RateLimiter {
    private static final double NANOS_PER_MINUTE = 60e9;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final int maxKeys;

    public TokenBucketRateLimiter() {
        this(System::nanoTime, 100_000);
    }

    /** @param nanoClock monotonic nanoseconds (tests pass a fake) */
    public TokenBucketRateLimiter(LongSupplier nanoClock, int maxKeys) {
        this.nanoClock = nanoClock;
        this.maxKeys = maxKeys;
    }

    @Override
    public Decision acquire(String key, int limitPerMinute) {
        if (limitPerMinute < 1) throw new IllegalArgumentException("limitPerMinute must be at least 1");
        if (buckets.size() > maxKeys) evictFull();
        long now = nanoClock.getAsLong();
        return buckets.computeIfAbsent(key, k -> new Bucket(limitPerMinute, now)).take(limitPerMinute, now);
    }

    /** Number of buckets held (for /debug/state). */
    public int size() {
        return buckets.size();
    }

    private void evictFull() {
        long now = nanoClock.getAsLong();
        buckets.values().removeIf(b -> b.isFull(now));
    }

    private static final class Bucket {
        private double tokens;
        private long updatedNanos;

        Bucket(int limit, long now) {
            this.tokens = limit;
            this.updatedNanos = now;
        }

        synchronized Decision take(int limit, long now) {
            refill(limit, now);
            double perNano = limit / NANOS_PER_MINUTE;
            boolean allowed = tokens >= 1.0;
            if (allowed) tokens -= 1.0;
            long reset = (long) Math.ceil((limit - tokens) / perNano / 1e9);
            long retryAfter = allowed ? 0 : Math.max(1, (long) Math.ceil((1.0 - tokens) / perNano / 1e9));
            return new Decision(allowed, limit, (int) Math.floor(tokens), reset, retryAfter);
        }

        synchronized boolean isFull(long now) {
            // The limit is unknown here; a bucket untouched for a minute has refilled whatever its limit.
            return now - updatedNanos >= (long) NANOS_PER_MINUTE;
        }

        private void refill(int limit, long now) {
            long elapsed = Math.max(0, now - updatedNanos);
            tokens = Math.min(limit, tokens + elapsed * (limit / NANOS_PER_MINUTE));
            updatedNanos = now;
        }
    }
}
