package io.sigil.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Puts Sigil's resilience around any {@link ChatModel} ({@link ResilientChatModel#builder}): retries of transient
 * failures with backoff and jitter, honouring the provider's {@code retry-after}; a per-attempt timeout; a circuit
 * breaker. Defaults are {@link RetryPolicy#DEFAULT} and a breaker of its own that opens after
 * {@value ProviderBreakers#DEFAULT_FAILURE_THRESHOLD} consecutive failures; share one breaker between models of one
 * provider with {@link #breakers(ProviderBreakers)}.
 */
public final class ResilienceBuilder {
    private final ChatModel model;
    private RetryPolicy policy = RetryPolicy.DEFAULT;
    private CircuitBreaker breaker;
    private ProviderBreakers breakers;

    ResilienceBuilder(ChatModel model) { this.model = Objects.requireNonNull(model, "model"); }

    /** Retries after the first attempt (0: none). */
    public ResilienceBuilder maxRetries(int retries) { policy = policy.withMaxRetries(retries); return this; }

    /** How long one attempt may take. */
    public ResilienceBuilder timeout(Duration timeout) { policy = policy.withTimeout(timeout); return this; }

    /** The first and the largest wait between retries when the provider sends no {@code retry-after}. */
    public ResilienceBuilder backoff(Duration initial, Duration max) {
        policy = new RetryPolicy(policy.maxRetries(), policy.timeout(), initial, max, policy.maxRetryAfter());
        return this;
    }

    /** The longest wait a provider's {@code retry-after} can impose; longer requests wait this long. */
    public ResilienceBuilder maxRetryAfter(Duration max) {
        policy = new RetryPolicy(policy.maxRetries(), policy.timeout(), policy.initialBackoff(), policy.maxBackoff(), max);
        return this;
    }

    /** A breaker that opens after {@code consecutiveFailures} transient failures and stays open {@code openFor}. */
    public ResilienceBuilder breaker(int consecutiveFailures, Duration openFor) {
        return breakers(new ProviderBreakers(consecutiveFailures, openFor, Clock.systemUTC()));
    }

    /** The breaker of the model's provider in {@code shared}, so that models of one provider open together. */
    public ResilienceBuilder breakers(ProviderBreakers shared) {
        this.breakers = Objects.requireNonNull(shared, "shared");
        this.breaker = null;
        return this;
    }

    /** Exactly this breaker. */
    public ResilienceBuilder breaker(CircuitBreaker breaker) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.breakers = null;
        return this;
    }

    public ResilientChatModel build() {
        CircuitBreaker b = breaker != null ? breaker
                : (breakers != null ? breakers : new ProviderBreakers()).forProvider(model.provider());
        return new ResilientChatModel(model, policy, b);
    }
}
