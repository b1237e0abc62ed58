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

    /**
     * Publishes {@code sigil_llm_circuit_breaker_open{provider}} (1 while open or forced open, else 0) for every
     * breaker, present and future.
     */
    public ProviderBreakers observedBy(io.micrometer.core.instrument.MeterRegistry meters) {
        registry.getAllCircuitBreakers().forEach(b -> gauge(meters, b));
        registry.getEventPublisher().onEntryAdded(e -> gauge(meters, e.getAddedEntry()));
        return this;
    }

    private static void gauge(io.micrometer.core.instrument.MeterRegistry meters, CircuitBreaker breaker) {
        io.micrometer.core.instrument.Gauge.builder(CIRCUIT_BREAKER_OPEN_METRIC, breaker, b -> switch (b.getState()) {
                    case OPEN, FORCED_OPEN -> 1.0;
                    default -> 0.0;
                }).description("1 while the provider's circuit breaker is open (calls refused), else 0")
                .tag("provider", breaker.getName()).register(meters);
    }

    public static final String CIRCUIT_BREAKER_OPEN_METRIC = "sigil.llm.circuit.breaker.open";

    /** The breaker of this provider, created on first use. */
    public CircuitBreaker forProvider(String provider) { return registry.circuitBreaker(provider); }
}
