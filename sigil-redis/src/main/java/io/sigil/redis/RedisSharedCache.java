package io.sigil.redis;

import io.lettuce.core.SetArgs;
import io.sigil.cluster.SharedCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/** {@link SharedCache} as Redis strings with a TTL ({@code SET PX}); Redis failures are misses. */
public final class RedisSharedCache implements SharedCache {
    private static final Logger log = LoggerFactory.getLogger(RedisSharedCache.class);
    private final RedisConnections redis;

    public RedisSharedCache(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public Optional<String> get(String key) {
        try {
            return Optional.ofNullable(redis.sync().get(redis.key("cache:" + key)));
        } catch (RuntimeException e) {
            log.debug("Shared cache read of {} failed (a miss): {}", key, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        try {
            redis.async().set(redis.key("cache:" + key), value, SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
        } catch (RuntimeException e) {
            log.debug("Shared cache write of {} failed (skipped): {}", key, e.toString());
        }
    }
}
