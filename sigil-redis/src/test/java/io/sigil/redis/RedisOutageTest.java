package io.sigil.redis;

import io.sigil.cluster.ClusterBus;
import io.sigil.ratelimit.FallbackRateLimiter;
import io.sigil.ratelimit.RateLimiter;
import io.sigil.ratelimit.TokenBucketRateLimiter;
import io.sigil.testing.PrivateRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private redis-server killed and started again: the limiter falls back to the in-process buckets and returns
 * to Redis by itself; pub/sub subscriptions survive the restart; a replica started while Redis is down connects
 * once it is up.
 */
class RedisOutageTest {
    @TempDir
    Path dir;
    private PrivateRedis redis;
    private RedisConnections connections;

    @AfterEach
    void stop() throws Exception {
        if (connections != null) connections.close();
        if (redis != null) redis.close();
    }

    @Test
    void limiterDegradesToInProcessAndRecovers() throws Exception {
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed (.ci/run installs it)");
        redis = PrivateRedis.start(dir.resolve("redis"));
        connections = RedisConnections.open(redis.url(), "t:", Duration.ofMillis(500));
        var limiter = new FallbackRateLimiter(new RedisRateLimiter(connections), new TokenBucketRateLimiter(),
                Duration.ofMillis(200));

        assertThat(limiter.acquire("k", 3).remaining()).isEqualTo(2);
        assertThat(limiter.degraded()).isEmpty();

        redis.stop();
        RateLimiter.Decision during = limiter.acquire("k", 3);
        assertThat(during.allowed()).as("requests still served, limited per replica").isTrue();
        assertThat(limiter.degraded()).isPresent();

        redis.start();
        await(() -> {
            limiter.acquire("other", 100);
            return limiter.degraded().isEmpty();
        });
        // Back on Redis: a restarted Redis (no persistence) lost the bucket, so it starts full again.
        assertThat(limiter.acquire("k", 3).remaining()).isEqualTo(2);
    }

    @Test
    void startsWhileRedisIsDownAndSubscriptionsWorkOnceItIsUp() throws Exception {
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed (.ci/run installs it)");
        redis = PrivateRedis.start(dir.resolve("redis"));
        redis.stop();
        connections = RedisConnections.open(redis.url(), "t:", Duration.ofMillis(500));
        ClusterBus bus = new RedisClusterBus(connections);
        List<String> got = new CopyOnWriteArrayList<>();
        bus.subscribe("cancel", got::add);
        assertThat(bus.connected()).isFalse();

        redis.start();
        await(bus::connected);
        await(() -> {
            bus.publish("cancel", "x");
            return !got.isEmpty();
        });

        redis.stop();
        redis.start();
        got.clear();
        await(() -> {
            try {
                bus.publish("cancel", "after restart");
            } catch (RuntimeException reconnecting) {
                return false;
            }
            return got.contains("after restart");
        });
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 30 s");
            Thread.sleep(100);
        }
    }
}
