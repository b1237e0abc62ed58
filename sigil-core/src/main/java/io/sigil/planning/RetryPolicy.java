package io.sigil.planning;

import java.time.Duration;

/**
 * Step retries: up to {@code maxRetries} after the first attempt, waiting {@code initialBackoff}, doubling each
 * time up to {@code maxBackoff} (sigil-design.md section 7: 3 retries, 1, 2, 4 s, cap 30 s).
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0");
    }

    /** The wait before retry number {@code retry} (1-based). */
    public Duration backoff(int retry) {
        long millis = initialBackoff.toMillis() << Math.min(30, retry - 1);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
