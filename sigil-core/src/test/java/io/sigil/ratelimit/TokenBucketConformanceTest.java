package io.sigil.ratelimit;

/** The in-process adapter against the {@link RateLimiter} conformance suite. */
class TokenBucketConformanceTest extends RateLimiterConformance {
    private final TokenBucketRateLimiter limiter = new TokenBucketRateLimiter();

    @Override
    protected RateLimiter limiter() { return limiter; }
}
