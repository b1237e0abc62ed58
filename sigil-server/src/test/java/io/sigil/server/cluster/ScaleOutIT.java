package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.HmacKey;
import io.sigil.testing.NginxFront;
import io.sigil.testing.SigilReplica;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeReply;
import io.sigil.testing.ClusterScratch;
import io.sigil.testing.PrivateRedis;
import io.sigil.testing.RunLoad;
import io.sigil.testing.SseStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19, live: two {@code sigil serve} processes sharing one PostgreSQL database (created on the shared server,
 * dropped after) and one PRIVATE redis-server (it is stopped and started here), behind a real nginx running a test
 * copy of the shipped nginx.conf. LLM calls go to the offline test model, or for slow runs to a local fake
 * Anthropic server; nothing leaves the machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    static final String SECRET = "scale-out-secret-0123456789-abcdefghijklmnop";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SLOW = Duration.ofSeconds(25);

    private ClusterScratch scratch;
    private PrivateRedis redis;
    private FakeAnthropicServer llm;
    private final List<SigilReplica> replicas = new ArrayList<>();
    private NginxFront nginx;
    private HttpClient http;
    private final JwtSigner signer = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC());
    private String token;
    private io.sigil.postgres.PostgresDatabase db;
    private io.sigil.auth.ApiKeys keys;

    @BeforeAll
    void startCluster() throws Exception {
        Assumptions.assumeTrue(PrivateRedis.available(), "redis-server is not installed (.ci/run installs it)");
        scratch = ClusterScratch.create("sigil_redis_");
        redis = scratch.redis();
        String dbUrl = scratch.databaseUrl();
        llm = new FakeAnthropicServer();
        llm.respondWith(request -> FakeReply.slow(SLOW, FakeReply.text("a slow answer")));
        for (String name : List.of("a", "b")) replicas.add(new SigilReplica(name, scratch.dir().resolve(name), env(name)));
        for (SigilReplica r : replicas) r.start(); // one at a time: the first migrates the empty database
        // The test's own connection to the shared database: it issues and revokes API keys as an operator would.
        db = new io.sigil.postgres.PostgresDatabase(io.sigil.postgres.DatabaseUrl.parse(dbUrl),
                new io.sigil.config.Settings.Database(2, 0, Duration.ofSeconds(10), Duration.ofSeconds(1800), true, "disable", null));
        keys = new io.sigil.auth.ApiKeys(new io.sigil.postgres.PostgresApiKeyStore(db), Clock.systemUTC());
        nginx = NginxFront.start(scratch.dir().resolve("nginx"), replicas.stream().map(r -> r.port).toList());
        http = HttpClient.newBuilder().sslContext(nginx.trust()).connectTimeout(Duration.ofSeconds(5)).build();
        token = token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        String admin = token(Scope.ADMIN);
        for (String agent : List.of(
                "{\"name\": \"fast_bot\", \"description\": \"Answers at once\", \"system_prompt\": \"Be brief.\", \"model\": \"test\", \"tools\": []}",
                "{\"name\": \"slow_bot\", \"description\": \"Answers slowly\", \"system_prompt\": \"Be brief.\","
                        + " \"model\": \"anthropic:claude-sonnet-4-20250514\", \"tools\": []}")) {
            HttpResponse<String> created = send(post(nginx.url() + "/agents", admin, agent));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    private Map<String, String> env(String name) {
        Map<String, String> env = scratch.env(name, SECRET);
        env.put("SIGIL_API_TRUSTED_PROXIES", "127.0.0.1");
        env.put("ANTHROPIC_BASE_URL", llm.baseUrl());
        env.put("ANTHROPIC_API_KEY", "sk-ant-fake");
        return env;
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (nginx != null) nginx.close();
        for (SigilReplica r : replicas) r.close();
        if (llm != null) llm.close();
        if (db != null) db.close();
        if (scratch != null) scratch.close();
    }

    @Test
    @Order(1)
    void runsSpreadOverReplicasAndASessionContinuesThroughAnotherWithItsHistory() throws Exception {
        Map<String, Long> before = handled();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> run = send(post(nginx.url() + "/agents/fast_bot/run", token, "{\"message\": \"spread " + i + "\"}"));
            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        }
        Map<String, Long> after = handled();
        for (SigilReplica r : replicas) {
            assertThat(after.get(r.name) - before.get(r.name)).as("requests replica %s served", r.name).isGreaterThanOrEqualTo(2);
        }

        SigilReplica a = replicas.get(0);
        SigilReplica b = replicas.get(1);
        HttpResponse<String> first = send(post(a.url() + "/agents/fast_bot/run", token, "{\"message\": \"first on a\"}"));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String session = JSON.readTree(first.body()).get("session_id").asText();
        HttpResponse<String> second = send(post(b.url() + "/agents/fast_bot/run", token,
                "{\"message\": \"second on b\", \"session_id\": \"" + session + "\"}"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(JSON.readTree(second.body()).get("session_id").asText()).isEqualTo(session);

        HttpResponse<String> detail = send(get(nginx.url() + "/sessions/" + session, token));
        assertThat(detail.statusCode()).isEqualTo(200);
        String messages = JSON.readTree(detail.body()).get("messages").toString();
        assertThat(messages).contains("first on a").contains("second on b");
        // The model on B answered with the whole history: the first exchange was in the request it got.
        assertThat(detail.headers().allValues("X-Content-Type-Options")).as("security headers not doubled").hasSize(1);
    }

    @Test
    @Order(2)
    void aWebSocketRunThroughNginxStreamsEveryMessage() throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        CountDownLatch complete = new CountDownLatch(1);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(nginx.wsUrl() + "/ws/agents/fast_bot/run?token=" + token),
                new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                JsonNode m = JSON.readTree(partial.toString());
                                received.add(m);
                                if (m.path("type").asText().equals("complete")) complete.countDown();
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        ws.sendText("{\"message\": \"over a websocket\"}", true).get(10, TimeUnit.SECONDS);
        assertThat(complete.await(60, TimeUnit.SECONDS)).as("complete arrived: %s", received).isTrue();
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        List<Long> sequences = received.stream().map(m -> m.path("sequence").asLong()).toList();
        assertThat(sequences).as("every message, in order, no gap").isEqualTo(
                java.util.stream.LongStream.rangeClosed(sequences.getFirst(), sequences.getLast()).boxed().toList());
        List<String> types = received.stream().map(m -> m.path("type").asText()).toList();
        assertThat(types).contains("ack", "status", "complete");
        assertThat(types.getLast()).isEqualTo("complete");
    }

    @Test
    @Order(3)
    void oneRunPerSessionAcrossReplicasAndACancelThroughBStopsTheRunOnA() throws Exception {
        SigilReplica a = replicas.get(0);
        SigilReplica b = replicas.get(1);
        SseStream onA = SseStream.open(http, post(a.url() + "/agents/slow_bot/run", token, "{\"message\": \"take your time\", \"stream\": true}"));
        String session = onA.await(m -> m.path("data").has("session_id"), Duration.ofSeconds(60))
                .path("data").get("session_id").asText();
        // The session is stored within milliseconds of its first event; until then B answers 404.
        HttpResponse<String> busy = retryWhile404(() -> post(b.url() + "/agents/slow_bot/run", token,
                "{\"message\": \"me too\", \"session_id\": \"" + session + "\"}"));
        assertThat(busy.statusCode()).as(busy.body()).isEqualTo(409);
        assertThat(JSON.readTree(busy.body()).get("type").asText()).endsWith("session-busy");

        SseStream followOnB = SseStream.open(http, get(b.url() + "/sessions/" + session + "/stream", token));
        assertThat(followOnB.status()).isEqualTo(200);
        long cancelledAt = System.nanoTime();
        HttpResponse<String> cancel = send(post(b.url() + "/sessions/" + session + "/cancel", token, "{\"reason\": \"test cancel via b\"}"));
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);

        JsonNode done = onA.await(m -> m.path("type").asText().equals("complete"), Duration.ofSeconds(60));
        assertThat(done.path("data").path("status").asText()).isEqualTo("cancelled");
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).as("stopped before the slow model answered").isLessThan(SLOW);
        JsonNode followed = followOnB.await(m -> m.path("type").asText().equals("complete"), Duration.ofSeconds(30));
        assertThat(followed.path("data").path("status").asText()).as("B's follower saw A's run end").isEqualTo("cancelled");

        HttpResponse<String> noRun = send(post(b.url() + "/sessions/" + session + "/cancel", token, ""));
        assertThat(noRun.statusCode()).as(noRun.body()).isEqualTo(409);
    }

    @Test
    @Order(4)
    void theRateLimitIsGlobalAndRevocationReachesEveryReplica() throws Exception {
        String[] key = createKey("limited", 20);
        int ok = 0;
        int limited = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(nginx.url() + "/agents"))
                    .header("X-API-Key", key[0]).timeout(Duration.ofSeconds(20)).GET().build());
            if (r.statusCode() == 200) ok++;
            if (r.statusCode() == 429) {
                limited++;
                refused = r;
            }
        }
        // 20 per minute for the key in total (plus what refills while the loop runs), not 20 per replica.
        assertThat(ok).as("requests allowed across both replicas").isBetween(20, 25);
        assertThat(limited).isEqualTo(40 - ok);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("20");
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");

        String[] other = createKey("revoked", 1000);
        for (SigilReplica r : replicas) assertThat(send(withKey(r.url() + "/agents", other[0])).statusCode()).isEqualTo(200);
        SseStream stream = SseStream.open(http, HttpRequest.newBuilder(URI.create(replicas.get(1).url() + "/agents/slow_bot/run"))
                .header("X-API-Key", other[0]).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\": \"long\", \"stream\": true}")).build());
        stream.await(m -> m.path("data").has("session_id"), Duration.ofSeconds(60));
        assertThat(keys.store().revoke(other[1], java.time.Instant.now())).isTrue();
        long revoked = System.nanoTime();
        for (SigilReplica r : replicas) {
            assertThat(send(withKey(r.url() + "/agents", other[0])).statusCode()).as("replica %s", r.name).isEqualTo(401);
        }
        JsonNode error = stream.await(m -> m.path("type").asText().equals("error"), Duration.ofSeconds(30));
        assertThat(error.path("data").path("code").asText()).isEqualTo("CREDENTIAL_INVALID");
        assertThat(Duration.ofNanos(System.nanoTime() - revoked)).as("open stream ended within seconds").isLessThan(Duration.ofSeconds(15));
    }

    @Test
    @Order(5)
    void killNineOfAReplicaUnderLoadLosesNoAcknowledgedRunAndItRejoins() throws Exception {
        RunLoad load = RunLoad.start(http, nginx.url() + "/agents/fast_bot/run", token, 3);
        Thread.sleep(3000);
        SigilReplica a = replicas.get(0);
        a.kill9();
        Thread.sleep(4000);
        a.start();
        long rejoined = handled().get(a.name);
        Thread.sleep(4000);
        List<String> acknowledged = load.stop();
        assertThat(acknowledged).as("runs acknowledged during the test").hasSizeGreaterThan(10);
        assertThat(handled().get(a.name)).as("the restarted replica serves again").isGreaterThan(rejoined);
        assertThat(Set.copyOf(acknowledged)).as("one session per run").hasSize(acknowledged.size());
        assertThat(answeredInDatabase(acknowledged)).as("acknowledged runs stored with their answer").isEqualTo(acknowledged.size());
        System.out.printf("kill -9 under load: %d runs acknowledged, %d failed (cut off or refused while the replica was down)%n",
                acknowledged.size(), load.failures());
    }

    @Test
    @Order(6)
    void redisStoppedAndStartedUnderLoadDegradesAndRecovers() throws Exception {
        RunLoad load = RunLoad.start(http, nginx.url() + "/agents/fast_bot/run", token, 2);
        Thread.sleep(2000);
        redis.stop();
        for (SigilReplica r : replicas) {
            await(() -> cacheStatus(r).equals("degraded"), "replica " + r.name + " reports cache degraded");
        }
        String[] key = createKey("during-outage", 10);
        int ok = 0;
        for (int i = 0; i < 40; i++) if (send(withKey(nginx.url() + "/agents", key[0])).statusCode() == 200) ok++;
        // Each replica limits on its own meanwhile: up to 10 each, more than the global 10.
        assertThat(ok).as("allowed while Redis is down (limits per replica)").isGreaterThan(10).isLessThanOrEqualTo(24);
        redis.start();
        for (SigilReplica r : replicas) {
            await(() -> {
                send(withKey(r.url() + "/agents", key[0])); // a request makes the limiter try Redis again
                return cacheStatus(r).equals("healthy");
            }, "replica " + r.name + " back on Redis");
        }
        List<String> acknowledged = load.stop();
        assertThat(acknowledged).hasSizeGreaterThan(5);
        assertThat(load.failures()).as("runs failed during the Redis outage").isZero();
        String[] fresh = createKey("after-outage", 10);
        int okAfter = 0;
        for (int i = 0; i < 30; i++) if (send(withKey(nginx.url() + "/agents", fresh[0])).statusCode() == 200) okAfter++;
        assertThat(okAfter).as("global again after recovery").isBetween(10, 12);
    }

    // ---- helpers

    private String cacheStatus(SigilReplica r) throws Exception {
        HttpResponse<String> h = send(HttpRequest.newBuilder(URI.create(r.url() + "/health")).timeout(Duration.ofSeconds(10)).build());
        return JSON.readTree(h.body()).path("checks").path("cache").path("status").asText();
    }

    private Map<String, Long> handled() throws Exception {
        Map<String, Long> m = new HashMap<>();
        String admin = token(Scope.ADMIN);
        for (SigilReplica r : replicas) {
            HttpResponse<String> s = send(get(r.url() + "/debug/state", admin));
            assertThat(s.statusCode()).as(s.body()).isEqualTo(200);
            m.put(r.name, JSON.readTree(s.body()).path("requests_handled").asLong());
        }
        return m;
    }

    /** An API key in the shared database, as {@code sigil keys create} makes it: [plaintext, id]. */
    private String[] createKey(String name, int perMinute) {
        var created = keys.create(name, Set.of(Scope.AGENTS_READ, Scope.RUNS_EXECUTE), perMinute, null);
        return new String[]{created.plaintext(), created.key().id()};
    }

    /** How many of {@code sessions} have both their question and their answer in the database. */
    private int answeredInDatabase(List<String> sessions) throws Exception {
        try (var c = DriverManager.getConnection(scratch.jdbcUrl());
             var q = c.prepareStatement("SELECT count(*) FROM (SELECT session_id FROM events WHERE session_id = ANY(?)"
                     + " AND event_type = 'message.added' GROUP BY session_id HAVING count(*) >= 2) answered")) {
            q.setArray(1, c.createArrayOf("varchar", sessions.toArray()));
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private String token(Scope... scopes) {
        return signer.mint("scale-tester", Set.of(scopes), Duration.ofMinutes(30), null, null);
    }

    private static HttpRequest post(String url, String token, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpRequest withKey(String url, String key) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).header("X-API-Key", key).GET().build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> retryWhile404(java.util.function.Supplier<HttpRequest> request) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> r = send(request.get());
        while (r.statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            r = send(request.get());
        }
        return r;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within 45 s");
            Thread.sleep(250);
        }
    }
}
