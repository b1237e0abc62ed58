package io.sigil.server;

import io.sigil.auth.ApiKeys;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** API keys (scope, expiry, revocation, hashing at rest) and rate limits, over real HTTP. */
class ApiKeyAndRateLimitHttpTest {
    @TempDir
    Path dir;
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void keysGrantTheirScopesOnlyAndAreStoredHashed() throws Exception {
        server = new TestServer(dir, TestServer.Options.defaults(), TestEndpoints.all());
        ApiKeys.Created reader = server.keys.create("reader", Set.of(Scope.AGENTS_READ), 1000, null);
        assertThat(server.get("/test/items", "X-API-Key", reader.plaintext()).statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = server.get("/metrics", "X-API-Key", reader.plaintext());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(TestServer.json(forbidden).path("detail").asText()).contains("'admin'");

        ApiKeys.Created admin = server.keys.create("ops", Set.of(Scope.ADMIN), 1000, null);
        assertThat(server.get("/test/items", "X-API-Key", admin.plaintext()).statusCode()).as("admin implies all").isEqualTo(200);
        assertThat(server.get("/metrics", "X-API-Key", admin.plaintext()).statusCode()).isEqualTo(200);

        assertThat(server.get("/test/items", "X-API-Key", reader.plaintext() + "x").statusCode()).isEqualTo(401);
        assertThat(server.get("/test/items", "X-API-Key", "sgk_" + "A".repeat(300)).statusCode()).isEqualTo(401);

        String file = Files.readString(dir.resolve("state").resolve("api-keys.json"));
        assertThat(file).doesNotContain(reader.plaintext()).doesNotContain(admin.plaintext())
                .contains(ApiKeys.hash(reader.plaintext()));
    }

    @Test
    void expiredAndRevokedKeysAreRefused() throws Exception {
        server = new TestServer(dir, TestServer.Options.defaults(), TestEndpoints.all());
        ApiKeys.Created shortLived = server.keys.create("short", Set.of(Scope.AGENTS_READ), 1000, Instant.now().plusMillis(1500));
        assertThat(server.get("/test/items", "X-API-Key", shortLived.plaintext()).statusCode()).isEqualTo(200);
        Thread.sleep(1600);
        assertThat(server.get("/test/items", "X-API-Key", shortLived.plaintext()).statusCode()).isEqualTo(401);

        ApiKeys.Created revoked = server.keys.create("revoked", Set.of(Scope.AGENTS_READ), 1000, null);
        assertThat(server.get("/test/items", "X-API-Key", revoked.plaintext()).statusCode()).isEqualTo(200);
        // Revoked through a separate store instance, as 'sigil keys revoke' in another process does.
        assertThat(new io.sigil.auth.FileApiKeyStore(dir.resolve("state")).revoke(revoked.key().id(), Instant.now())).isTrue();
        assertThat(server.get("/test/items", "X-API-Key", revoked.plaintext()).statusCode()).isEqualTo(401);
    }

    private List<Integer> concurrently(int requests, Callable<Integer> call) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) futures.add(pool.submit(call));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) statuses.add(f.get());
            return statuses;
        }
    }

    @Test
    void perKeyLimitIsExactUnderConcurrency() throws Exception {
        server = new TestServer(dir, TestServer.Options.defaults().rateLimit(1_000), TestEndpoints.all());
        int limit = 40;
        ApiKeys.Created key = server.keys.create("metered", Set.of(Scope.AGENTS_READ), limit, null);
        long start = System.nanoTime();
        List<Integer> statuses = concurrently(200, () -> server.get("/test/items", "X-API-Key", key.plaintext()).statusCode());
        double minutes = (System.nanoTime() - start) / 60e9;
        long ok = statuses.stream().filter(s -> s == 200).count();
        long limited = statuses.stream().filter(s -> s == 429).count();
        assertThat(ok + limited).isEqualTo(200);
        // The burst is the limit; the only extra requests allowed are those refilled while the test ran.
        assertThat(ok).isBetween((long) limit, limit + (long) Math.ceil(minutes * limit));

        HttpResponse<String> refused = server.get("/test/items", "X-API-Key", key.plaintext());
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(limit));
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(Long.parseLong(refused.headers().firstValue("RateLimit-Reset").orElseThrow())).isBetween(50L, 60L);

        ApiKeys.Created other = server.keys.create("other", Set.of(Scope.AGENTS_READ), limit, null);
        HttpResponse<String> separate = server.get("/test/items", "X-API-Key", other.plaintext());
        assertThat(separate.statusCode()).as("each key has its own bucket").isEqualTo(200);
        assertThat(separate.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(limit - 1));
    }

    @Test
    void perAddressLimitCoversTokensPublicEndpointsAndFailedLogins() throws Exception {
        int limit = 30;
        server = new TestServer(dir, TestServer.Options.defaults().rateLimit(limit), TestEndpoints.all());
        String token = server.token(Scope.AGENTS_READ);
        List<Integer> statuses = concurrently(100, () -> server.getWithBearer("/test/items", token).statusCode());
        long ok = statuses.stream().filter(s -> s == 200).count();
        assertThat(ok).isBetween((long) limit, limit + 2L);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(100 - ok);
        assertThat(server.get("/openapi.json").statusCode()).as("same address bucket").isEqualTo(429);
        assertThat(server.get("/test/items", "X-API-Key", "sgk_guess").statusCode())
                .as("guessing keys is throttled too").isEqualTo(429);
        assertThat(server.get("/health").statusCode()).as("health is never rate limited").isEqualTo(200);
    }
}
