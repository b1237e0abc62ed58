package io.sigil.server.cluster;

import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.LocalClusterBus;
import io.sigil.cluster.LocalSessionLeases;
import io.sigil.cluster.SessionLeases;
import io.sigil.cluster.SharedCache;
import io.sigil.config.Settings;
import io.sigil.health.HealthCheck;
import io.sigil.ratelimit.FallbackRateLimiter;
import io.sigil.ratelimit.RateLimiter;
import io.sigil.ratelimit.TokenBucketRateLimiter;
import io.sigil.redis.RedisClusterBus;
import io.sigil.redis.RedisConnections;
import io.sigil.redis.RedisRateLimiter;
import io.sigil.redis.RedisSessionLeases;
import io.sigil.redis.RedisSharedCache;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What this replica shares with the others (issue 19): the rate limiter, the session run leases and the message
 * bus. With {@code REDIS_URL} set they live in Redis, each with an in-process fallback while Redis is unreachable;
 * without it they are in-process (one replica is the whole deployment). Only the configured Redis is contacted.
 */
public final class Cluster implements AutoCloseable {
    /** How long a command may wait for Redis before the in-process fallback answers instead. */
    static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** How often a degraded limiter tries Redis again. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final RateLimiter limiter;
    private final TokenBucketRateLimiter local;
    private final SessionLeases leases;
    private final ClusterBus bus;
    private final HealthCheck cacheCheck;
    private final SharedCache cache;
    private final RedisConnections redis;

    private Cluster(RateLimiter limiter, TokenBucketRateLimiter local, SessionLeases leases, ClusterBus bus,
                    HealthCheck cacheCheck, SharedCache cache, RedisConnections redis) {
        this.cache = cache;
        this.limiter = limiter;
        this.local = local;
        this.leases = leases;
        this.bus = bus;
        this.cacheCheck = cacheCheck;
        this.redis = redis;
    }

    /** In-process only: one replica. */
    public static Cluster local() {
        TokenBucketRateLimiter local = new TokenBucketRateLimiter();
        return new Cluster(local, local, new LocalSessionLeases(), new LocalClusterBus(), null, SharedCache.NONE, null);
    }

    /** Redis when {@code services.redis_url} is set, else {@link #local()}. */
    public static Cluster open(Settings settings) {
        String url = settings.services().redisUrl();
        if (url == null || url.isBlank()) return local();
        RedisConnections redis = RedisConnections.open(url, RedisConnections.DEFAULT_PREFIX, COMMAND_TIMEOUT);
        TokenBucketRateLimiter local = new TokenBucketRateLimiter();
        FallbackRateLimiter limiter = new FallbackRateLimiter(new RedisRateLimiter(redis), local, RETRY_INTERVAL);
        return new Cluster(limiter, local, new FallbackSessionLeases(new RedisSessionLeases(redis)),
                new RedisClusterBus(redis), new CacheHealthCheck(redis, limiter, hostPort(url)), new RedisSharedCache(redis), redis);
    }

    /** host:port of the URL, never its password. */
    private static String hostPort(String url) {
        URI u = URI.create(url);
        return u.getHost() + ":" + (u.getPort() < 0 ? 6379 : u.getPort());
    }

    public RateLimiter limiter() { return limiter; }

    public SessionLeases leases() { return leases; }

    public ClusterBus bus() { return bus; }

    /** Cache entries shared with the other replicas (plans, query vectors, console logins); {@link SharedCache#NONE} without Redis. */
    public SharedCache cache() { return cache; }

    /** Whether state is shared with other replicas through Redis. */
    public boolean shared() { return redis != null; }

    /** The {@code cache} check replacing the generic TCP one, when Redis is configured. */
    public List<HealthCheck> healthChecks() { return cacheCheck == null ? List.of() : List.of(cacheCheck); }

    /** Buckets held in this process (all of them without Redis, the fallback's with it). */
    public int localBuckets() { return local.size(); }

    /** Why rate limits are per replica now, when Redis is configured but failing. */
    public Optional<String> degraded() {
        return limiter instanceof FallbackRateLimiter f ? f.degraded() : Optional.empty();
    }

    @Override
    public void close() {
        if (redis != null) redis.close();
    }
}
