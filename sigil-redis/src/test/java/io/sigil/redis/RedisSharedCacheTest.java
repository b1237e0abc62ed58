package io.sigil.redis;

import io.sigil.testing.PrivateRedis;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RedisSharedCacheTest {
    @TempDir
    Path dir;

    @Test
    void entriesAreSharedExpireAndAFailingRedisIsAMiss() throws Exception {
        try (RedisConnections a = SharedRedis.connect()) {
            // a second connection under the same prefix: another replica
            var cache = new RedisSharedCache(a);
            cache.put("x", "value", Duration.ofMillis(300));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (cache.get("x").isEmpty() && System.nanoTime() < deadline) Thread.sleep(10); // the write is pipelined
            assertThat(cache.get("x")).hasValue("value");
            Thread.sleep(600);
            assertThat(cache.get("x")).as("expired").isEmpty();
        }
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed");
        try (PrivateRedis redis = PrivateRedis.start(dir.resolve("r"));
             RedisConnections c = RedisConnections.open(redis.url(), "t:", Duration.ofMillis(300))) {
            var cache = new RedisSharedCache(c);
            redis.stop();
            cache.put("y", "v", Duration.ofMinutes(1));
            assertThat(cache.get("y")).isEmpty();
        }
    }
}
