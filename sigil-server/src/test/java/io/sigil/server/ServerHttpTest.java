package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every operational endpoint and the pipeline's contract (errors, headers, CORS, ids), over real HTTP. */
class ServerHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer(dir, TestServer.Options.defaults(), TestEndpoints.all());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = TestServer.json(r);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).startsWith("urn:sigil:problem:");
        assertThat(p.path("title").asText()).isNotBlank();
        assertThat(p.path("detail").asText()).isNotBlank();
        assertThat(p.path("request_id").asText()).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("hunter2");
    }

    @Test
    void healthIsOpenAndReportsEveryCheck() {
        HttpResponse<String> r = server.get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = TestServer.json(r);
        // The test settings name a database at host "db", which does not resolve here: not critical with the
        // file state backend, so Sigil is degraded (200), not unhealthy.
        assertThat(body.path("status").asText()).isEqualTo("degraded");
        assertThat(body.path("checks").fieldNames()).toIterable()
                .containsExactly("llm", "state", "memory", "database", "cache");
        assertThat(body.path("checks").path("database").path("status").asText()).isEqualTo("degraded");
        assertThat(body.path("checks").path("database").path("detail").asText()).doesNotContain("hunter2");
        assertThat(body.path("checks").path("llm").path("status").asText()).isEqualTo("healthy");
        assertThat(body.path("checks").path("cache").path("detail").asText()).isEqualTo("in-process");
        assertThat(body.path("version").asText()).isNotBlank();
        assertThat(body.path("uptime_seconds").isIntegralNumber()).isTrue();
        assertThat(r.body()).doesNotContain("sk-ant-test-key");
        assertThat(r.headers().firstValue("RateLimit-Limit")).as("health is not rate limited").isEmpty();
    }

    @Test
    void metricsNeedAdminAndExposeRequestAndJvmMeters() {
        assertProblem(server.get("/metrics"), 401);
        assertProblem(server.getWithBearer("/metrics", server.token(Scope.AGENTS_READ)), 403);
        server.get("/health");
        server.get("/no/such/path/42");
        HttpResponse<String> r = server.getWithBearer("/metrics", server.token(Scope.ADMIN));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(r.body())
                .contains("sigil_requests_total{endpoint=\"/health\",method=\"GET\",status=\"200\"}")
                .contains("sigil_request_latency_seconds_bucket{endpoint=\"/health\",method=\"GET\"")
                .contains("sigil_request_latency_seconds_count{endpoint=\"/health\",method=\"GET\"}")
                .contains("endpoint=\"unmatched\"")
                .doesNotContain("/no/such/path/42")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads");
    }

    @Test
    void debugConfigMasksSecretsAndDebugStateDescribesTheServer() {
        assertProblem(server.get("/debug/config"), 401);
        HttpResponse<String> r = server.getWithBearer("/debug/config", server.token(Scope.ADMIN));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode config = TestServer.json(r);
        assertThat(config.path("security").path("jwt_secret").asText()).isEqualTo("****");
        assertThat(config.path("llm").path("anthropic_api_key").asText()).isEqualTo("****");
        assertThat(config.path("llm").path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(config.path("services").path("database_url").asText()).isEqualTo("postgres://****@db:5432/sigil");
        assertThat(config.path("state").path("data_dir").asText()).isEqualTo(dir.resolve("state").toString());
        assertThat(r.body()).doesNotContain(TestServer.SECRET).doesNotContain("sk-ant-test").doesNotContain("hunter2");

        HttpResponse<String> s = server.getWithBearer("/debug/state", server.token(Scope.ADMIN));
        assertThat(s.statusCode()).isEqualTo(200);
        JsonNode state = TestServer.json(s);
        assertThat(state.path("requests_in_flight").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(state.path("routes").toString()).contains("GET /health").contains("GET /openapi.json");
        assertThat(state.path("jvm").path("heap_max_bytes").asLong()).isPositive();
    }

    @Test
    void openApiDocumentListsEveryServedRoute() {
        HttpResponse<String> r = server.get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = TestServer.json(r);
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            var path = it.next();
            path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
        }
        Set<String> served = new HashSet<>();
        server.server().routes().forEach(route -> served.add(route.method() + " " + route.path()));
        assertThat(documented).isEqualTo(served).contains("GET /health", "GET /metrics", "GET /debug/config",
                "GET /debug/state", "GET /openapi.json");
        JsonNode notes = doc.path("paths").path("/test/notes").path("post");
        assertThat(notes.path("x-required-scope").asText()).isEqualTo("memory:write");
        assertThat(notes.path("responses").has("401")).isTrue();
        assertThat(doc.path("paths").path("/test/sessions/{session_id}").path("get").path("parameters").get(0)
                .path("name").asText()).isEqualTo("session_id");
        assertThat(doc.path("components").path("securitySchemes").has("bearerAuth")).isTrue();
    }

    @Test
    void eachRequestWritesOneJsonAccessLogLineWithoutCredentials() throws Exception {
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.sigil.server.access");
        var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        appender.start();
        access.setLevel(ch.qos.logback.classic.Level.INFO);
        access.setAdditive(false);
        access.addAppender(appender);
        try {
            String token = server.token(Scope.AGENTS_READ);
            server.get("/test/sessions/s-42?api_key=secret-in-query", "X-Request-Id", "req-access-1", "Authorization", "Bearer " + token);
            server.getWithBearer("/test/items", token);
        } finally {
            access.detachAppender(appender);
            access.setLevel(null);
            access.setAdditive(true);
        }
        var layout = new io.sigil.logging.JsonLineLayout(); // the JSON log format: key-value pairs become fields
        List<String> written = appender.list.stream().map(layout::doLayout).toList();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : written) lines.add(TestServer.JSON.readTree(line));
        JsonNode session = lines.stream().filter(l -> l.path("request_id").asText().equals("req-access-1")).findFirst().orElseThrow();
        assertThat(session.path("method").asText()).isEqualTo("GET");
        assertThat(session.path("path").asText()).isEqualTo("/test/sessions/s-42");
        assertThat(session.path("endpoint").asText()).isEqualTo("/test/sessions/{session_id}");
        assertThat(session.path("status").asInt()).isEqualTo(404);
        assertThat(session.path("session_id").asText()).isEqualTo("s-42");
        assertThat(session.path("latency_ms").isNumber()).isTrue();
        JsonNode items = lines.stream().filter(l -> l.path("endpoint").asText().equals("/test/items")).findFirst().orElseThrow();
        assertThat(items.path("principal").asText()).isEqualTo("tester");
        assertThat(session.path("message").asText()).isEqualTo("GET /test/sessions/{session_id} 404 "
                + session.path("latency_ms").asDouble() + " ms");
        assertThat(session.path("status").isInt()).as("typed, not a string").isTrue();
        assertThat(String.join("", written)).doesNotContain("secret-in-query").doesNotContain("eyJ");
    }

    @Test
    void debugModeOpensOperationalEndpointsToLocalhostOnly(@TempDir Path debugDir) {
        try (TestServer debug = new TestServer(debugDir, TestServer.Options.defaults().debugMode(), List.of())) {
            assertThat(debug.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(debug.get("/debug/config").statusCode()).isEqualTo(200);
            assertThat(debug.get("/debug/state").statusCode()).isEqualTo(200);
        }
        assertThat(server.get("/debug/state").statusCode()).as("not in debug mode").isEqualTo(401);
    }

    @Test
    void headRequestsGoThroughTheSameGuard() {
        HttpResponse<String> head = server.send(server.request("/metrics").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(401);
        HttpResponse<String> health = server.send(server.request("/health").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEmpty();
    }

    @Test
    void javalinsOwnErrorsBecomeProblems() {
        assertProblem(server.get("/nowhere"), 404);
        HttpResponse<String> notAllowed = server.send(server.request("/health").DELETE().build());
        assertProblem(notAllowed, 405);
        String big = "{\"text\":\"" + "x".repeat(5000) + "\",\"priority\":1}";
        HttpResponse<String> tooLarge = server.send(server.request("/test/notes")
                .header("Authorization", "Bearer " + server.token(Scope.MEMORY_WRITE))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(big)).build());
        assertProblem(tooLarge, 413);
    }

    @Test
    void unexpectedFailuresAreGeneric500sWithoutDetailsOfTheCause() {
        HttpResponse<String> r = server.get("/test/boom");
        assertProblem(r, 500);
        assertThat(r.body()).doesNotContain("IllegalStateException").doesNotContain("password");
    }

    @Test
    void sigilErrorsMapToTheirStatusWithMessageAndCode() {
        HttpResponse<String> r = server.get("/test/sessions/abc");
        assertProblem(r, 404);
        JsonNode p = TestServer.json(r);
        assertThat(p.path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(p.path("detail").asText()).contains("No session 'abc'").contains("GET /sessions");
        assertThat(p.path("instance").asText()).isEqualTo("/test/sessions/abc");
    }

    private HttpResponse<String> postNote(String body, String contentType) {
        return server.send(server.request("/test/notes")
                .header("Authorization", "Bearer " + server.token(Scope.MEMORY_WRITE))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void bodiesAreValidatedWithTheInvalidFieldNamed() {
        HttpResponse<String> ok = postNote("{\"text\":\"hi\",\"priority\":2,\"tags\":[\"a\"]}", "application/json");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(TestServer.json(ok).path("text").asText()).isEqualTo("hi");

        assertProblem(postNote("{\"text\":\"hi\",", "application/json"), 400);
        assertProblem(postNote("{\"text\":\"hi\"} trailing", "application/json"), 400);
        assertProblem(postNote("", "application/json"), 400);
        assertProblem(postNote("{\"text\":\"hi\",\"priority\":1}", "text/plain"), 415);

        HttpResponse<String> unknown = postNote("{\"text\":\"hi\",\"priority\":1,\"admin\":true}", "application/json");
        assertProblem(unknown, 400);
        assertThat(TestServer.json(unknown).path("invalid_params").get(0).path("name").asText()).isEqualTo("admin");

        HttpResponse<String> wrongType = postNote("{\"text\":\"hi\",\"priority\":\"high\"}", "application/json");
        assertProblem(wrongType, 400);
        assertThat(TestServer.json(wrongType).path("invalid_params").get(0).path("name").asText()).isEqualTo("priority");

        HttpResponse<String> invariant = postNote("{\"text\":\"hi\",\"priority\":9}", "application/json");
        assertProblem(invariant, 400);
        assertThat(TestServer.json(invariant).path("invalid_params").get(0).path("reason").asText())
                .isEqualTo("priority must be from 0 to 5");

        HttpResponse<String> duplicate = postNote("{\"text\":\"hi\",\"text\":\"again\",\"priority\":1}", "application/json");
        assertProblem(duplicate, 400);

        assertProblem(postNote("{\"priority\":1}", "application/json"), 400);
        assertProblem(postNote("[1,2]", "application/json"), 400);
        assertProblem(postNote("null", "application/json"), 400);
    }

    @Test
    void listsArePagedWithValidatedLimits() {
        String token = server.token(Scope.AGENTS_READ);
        JsonNode first = TestServer.json(server.getWithBearer("/test/items", token));
        assertThat(first.path("items").size()).isEqualTo(50);
        assertThat(first.path("total").asInt()).isEqualTo(120);
        assertThat(first.path("next_offset").asInt()).isEqualTo(50);
        JsonNode last = TestServer.json(server.getWithBearer("/test/items?limit=100&offset=100", token));
        assertThat(last.path("items").size()).isEqualTo(20);
        assertThat(last.has("next_offset")).isFalse();
        HttpResponse<String> tooMany = server.getWithBearer("/test/items?limit=101", token);
        assertProblem(tooMany, 400);
        assertThat(TestServer.json(tooMany).path("invalid_params").get(0).path("name").asText()).isEqualTo("limit");
        assertProblem(server.getWithBearer("/test/items?offset=-1", token), 400);
        assertProblem(server.getWithBearer("/test/items?limit=abc", token), 400);
    }

    @Test
    void securityHeadersOnEveryResponse() {
        for (HttpResponse<String> r : new HttpResponse[] {server.get("/health"), server.get("/nowhere"), server.get("/metrics")}) {
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-XSS-Protection")).hasValue("0");
            assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000; includeSubDomains");
            assertThat(r.headers().firstValue("Server")).isEmpty();
        }
    }

    @Test
    void requestIdIsEchoedWhenSafeAndGeneratedOtherwise() {
        assertThat(server.get("/health", "X-Request-Id", "abc-123").headers().firstValue("X-Request-Id")).hasValue("abc-123");
        String generated = server.get("/health", "X-Request-Id", "bad id\twith spaces").headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(generated).matches("[0-9a-f-]{36}");
        assertThat(server.get("/health").headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void corsAllowsConfiguredOriginsOnly() {
        HttpResponse<String> preflight = server.send(server.request("/test/items")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "GET").build());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("X-API-Key");

        HttpResponse<String> simple = server.get("/health", "Origin", "http://localhost:3000");
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
        assertThat(simple.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("Retry-After");

        HttpResponse<String> foreign = server.get("/health", "Origin", "https://evil.example");
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> foreignPreflight = server.send(server.request("/test/items")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET").build());
        assertThat(foreignPreflight.statusCode()).isGreaterThanOrEqualTo(400).isLessThan(500);
        assertThat(foreignPreflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
