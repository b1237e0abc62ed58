package io.sigil.redis;

import io.lettuce.core.SetArgs;
import io.sigil.cluster.SharedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * {@link SharedCache} as Redis strings with a TTL ({@code SET PX}); Redis failures are misses. After a failed read
 * the cache stays away from Redis for {@code retryAfter} (each process then works from its own in-process caches,
 * as the limiter falls back to its own buckets), so a hung Redis costs one command timeout per interval, not one
 * per lookup.
 */
public final class RedisSharedCache implements SharedCache {
    private static final Logger log = LoggerFactory.getLogger(RedisSharedCache.class);
    /** How long reads skip Redis after one failed. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final RedisConnections redis;
    private final long retryAfterNanos;
    private volatile long skipUntil;
    private volatile boolean skipping;

    public RedisSharedCache(RedisConnections redis) {
        this(redis, DEFAULT_RETRY_AFTER);
    }

    public RedisSharedCache(RedisConnections redis, Duration retryAfter) {
        this.redis = redis;
        this.retryAfterNanos = retryAfter.toNanos();
    }

    @Override
    public Optional<String> get(String key) {
        if (skipping && System.nanoTime() - skipUntil < 0) return Optional.empty();
        try {
            Optional<String> v = Optional.ofNullable(redis.sync().get(redis.key("cache:" + key)));
            skipping = false;
            return v;
        } catch (RuntimeException e) {
            log.debug("Shared cache read of {} failed (a miss; in-process caches only for {} ms): {}",
                    key, retryAfterNanos / 1_000_000, e.toString());
            skipUntil = System.nanoTime() + retryAfterNanos;
            skipping = true;
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        if (skipping && System.nanoTime() - skipUntil < 0) return;
        try {
            redis.async().set(redis.key("cache:" + key), value, SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
        } catch (RuntimeException e) {
            log.debug("Shared cache write of {} failed (skipped): {}", key, e.toString());
        }
    }

    @Override
    public void remove(String key) {
        try {
            redis.sync().del(redis.key("cache:" + key));
        } catch (RuntimeException e) {
            log.warn("Shared cache delete of {} failed (it expires with its TTL): {}", key, e.toString());
        }
    }
}
