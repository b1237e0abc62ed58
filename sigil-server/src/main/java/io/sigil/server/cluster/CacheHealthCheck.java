package io.sigil.server.cluster;

import io.sigil.health.HealthCheck;
import io.sigil.ratelimit.FallbackRateLimiter;
import io.sigil.redis.RedisConnections;

/**
 * {@code cache} in {@code /health} when Redis is configured: healthy while Redis answers PING and the rate limits
 * are shared; degraded (never unhealthy: every replica keeps serving with its in-process limiter and leases) while
 * it does not, with the reason.
 */
final class CacheHealthCheck implements HealthCheck {
    private final RedisConnections redis;
    private final FallbackRateLimiter limiter;
    private final String where;

    CacheHealthCheck(RedisConnections redis, FallbackRateLimiter limiter, String where) {
        this.redis = redis;
        this.limiter = limiter;
        this.where = where;
    }

    @Override
    public String name() { return "cache"; }

    @Override
    public boolean critical() { return false; }

    @Override
    public Result check() {
        try {
            redis.ping();
        } catch (RuntimeException e) {
            return Result.degraded("Redis at " + where + " unreachable (" + e.getMessage()
                    + "); rate limits, session leases and caches are per replica until it is back");
        }
        return limiter.degraded()
                .map(p -> Result.degraded("Redis at " + where + " answers again; rate limits return to it on the next"
                        + " request (last failure: " + p + ")"))
                .orElseGet(() -> Result.healthy("Redis at " + where + ": rate limits, session leases and run messages shared"));
    }
}
