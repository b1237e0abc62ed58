package io.sigil.llm;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a failed call is retried: at most {@code maxRetries} more attempts on transient failures (429, 529, 5xx,
 * connection errors), waiting an exponential backoff with jitter or, when the provider sent one, its
 * {@code retry-after} (capped at {@code maxRetryAfter}). {@code timeout} bounds each attempt.
 */
public record RetryPolicy(int maxRetries, Duration timeout, Duration initialBackoff, Duration maxBackoff,
                          Duration maxRetryAfter) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofSeconds(60), Duration.ofMillis(500),
            Duration.ofSeconds(8), Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
    }

    public static RetryPolicy of(int maxRetries, Duration timeout) {
        return new RetryPolicy(maxRetries, timeout, DEFAULT.initialBackoff, DEFAULT.maxBackoff, DEFAULT.maxRetryAfter);
    }

    public RetryPolicy withTimeout(Duration timeout) {
        return new RetryPolicy(maxRetries, timeout, initialBackoff, maxBackoff, maxRetryAfter);
    }

    public RetryPolicy withMaxRetries(int maxRetries) {
        return new RetryPolicy(maxRetries, timeout, initialBackoff, maxBackoff, maxRetryAfter);
    }

    /**
     * The wait before retry number {@code retry} (1-based): the provider's retry-after when given, else
     * "equal jitter" backoff, uniformly between half and all of {@code initialBackoff * 2^(retry-1)}.
     */
    public Duration delay(int retry, LlmError failure, RandomGenerator random) {
        if (failure.retryAfter() != null) {
            return failure.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : failure.retryAfter();
        }
        long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(retry - 1, 20));
        long half = ceiling / 2;
        return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
    }
}
