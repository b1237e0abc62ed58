package io.sigil.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Clock;
import java.time.Duration;

/**
 * One circuit breaker per provider (guide section 8.3): it opens after {@code failureThreshold} consecutive
 * failed calls and lets one trial call through after {@code openDuration}. Only transient failures count
 * (a 400 says nothing about the provider's health); cancellations are ignored. The clock is injectable so tests
 * move time instead of sleeping.
 */
public final class ProviderBreakers {
    public static final int DEFAULT_FAILURE_THRESHOLD = 5;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);

    private final CircuitBreakerRegistry registry;

    public ProviderBreakers() { this(DEFAULT_FAILURE_THRESHOLD, DEFAULT_OPEN_DURATION, Clock.systemUTC()); }

    public ProviderBreakers(int failureThreshold, Duration openDuration, Clock clock) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                // A count window of N calls at a 100% failure rate is "N consecutive failures".
                .slidingWindow(failureThreshold, failureThreshold, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100)
                .waitDurationInOpenState(openDuration)
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof LlmError l && l.kind().isTransient())
                .ignoreException(e -> e instanceof LlmError l && l.kind() == LlmError.Kind.CANCELLED)
                .clock(clock)
                .build();
        this.registry = CircuitBreakerRegistry.of(config);
    }

    /** The breaker of this provider, created on first use. */
    public CircuitBreaker forProvider(String provider) { return registry.circuitBreaker(provider); }
}
