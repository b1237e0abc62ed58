package io.sigil.redis;

import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.ClusterBusConformance;
import io.sigil.cluster.SessionLeases;
import io.sigil.cluster.SessionLeasesConformance;
import io.sigil.ratelimit.RateLimiter;
import io.sigil.ratelimit.RateLimiterConformance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

import java.util.ArrayList;
import java.util.List;

/**
 * The Redis adapters against the port conformance suites, on the shared Redis under a unique key prefix. Each
 * suite's "two replicas" are two separate connections to that Redis.
 */
class RedisAdaptersConformanceTest {
    private final List<RedisConnections> opened = new ArrayList<>();

    private RedisConnections connection() {
        RedisConnections c = SharedRedis.connect();
        opened.add(c);
        return c;
    }

    @AfterEach
    void close() {
        opened.forEach(RedisConnections::close);
    }

    @Nested
    class Limiter extends RateLimiterConformance {
        private RedisRateLimiter limiter;

        @BeforeEach
        void open() { limiter = new RedisRateLimiter(connection()); }

        @Override
        protected RateLimiter limiter() { return limiter; }
    }

    @Nested
    class Leases extends SessionLeasesConformance {
        private String prefix;

        @BeforeEach
        void open() { prefix = "sigil-test:" + java.util.UUID.randomUUID() + ":"; }

        @Override
        protected SessionLeases leases() {
            RedisConnections c = RedisConnections.open(SharedRedis.URL, prefix, java.time.Duration.ofSeconds(2));
            opened.add(c);
            return new RedisSessionLeases(c);
        }
    }

    @Nested
    class Bus extends ClusterBusConformance {
        private String prefix;

        @BeforeEach
        void open() {
            SharedRedis.connect().close(); // skips when Redis is not running
            prefix = "sigil-test:" + java.util.UUID.randomUUID() + ":";
        }

        @Override
        protected ClusterBus bus() {
            RedisConnections c = RedisConnections.open(SharedRedis.URL, prefix, java.time.Duration.ofSeconds(2));
            opened.add(c);
            awaitPubSub(c);
            return new RedisClusterBus(c);
        }
    }

    private static void awaitPubSub(RedisConnections c) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!c.connected() && System.nanoTime() < deadline) Thread.onSpinWait();
    }
}
