package io.sigil.redis;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.UUID;

/** The machine's Redis (localhost:6379, as CI starts it), each test under a key prefix of its own. */
final class SharedRedis {
    static final String URL = System.getProperty("sigil.test.redis_url", "redis://127.0.0.1:6379/0");

    private SharedRedis() { }

    static RedisConnections connect() {
        try (Socket ignored = new Socket("127.0.0.1", 6379)) {
            // reachable
        } catch (IOException e) {
            Assumptions.abort("Redis is not running on 127.0.0.1:6379 (.ci/run starts it): " + e.getMessage());
        }
        return RedisConnections.open(URL, "sigil-test:" + UUID.randomUUID() + ":", Duration.ofSeconds(2));
    }
}
