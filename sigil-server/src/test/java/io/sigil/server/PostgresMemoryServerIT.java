package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers as {@code sigil serve} assembles them with SIGIL_STATE_BACKEND=postgres on one database of the shared
 * test PostgreSQL: memory written through one is in the database and found through the other (its projection
 * follows the change log), scopes stay bound to their users, and a restarted server rebuilds its index from the
 * database.
 */
class PostgresMemoryServerIT {
    private static final String SERVER = System.getProperty("sigil.test.postgres", "jdbc:postgresql://localhost:5432/");
    private static final Scope[] USER = {Scope.RUNS_EXECUTE, Scope.SESSIONS_READ, Scope.MEMORY_READ, Scope.MEMORY_WRITE};

    @TempDir
    Path dir;
    private String database;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void createDatabase() throws Exception {
        database = "sigil_pgmem_srv_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + database);
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) a.close();
        if (b != null) b.close();
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @Test
    void memoryWrittenThroughOneServerIsFoundThroughTheOtherAndSurvivesItsRestart() throws Exception {
        a = server("a");
        b = server("b");
        String aliceOnA = a.tokenFor("alice", USER);
        String aliceOnB = b.tokenFor("alice", USER);
        String bobOnB = b.tokenFor("bob", USER);

        HttpResponse<String> written = post(a, "/memory", aliceOnA,
                "{\"content\": \"Our marketing budget is 70000 euros\", \"category\": \"budget\"}");
        assertThat(written.statusCode()).as(written.body()).isEqualTo(201);
        assertThat(count("SELECT COUNT(*) FROM memory_items WHERE scope = 'user:alice'")).isEqualTo(1);

        JsonNode found = awaitHit(b, aliceOnB, "user:alice", "marketing budget", "70000");
        assertThat(found.path("item").path("category").asText()).isEqualTo("budget");
        // Tenancy as on files: bob may not name alice's scope, and his own holds nothing of hers.
        assertThat(post(b, "/memory/search", bobOnB, "{\"query\": \"budget\", \"scope\": \"user:alice\"}").statusCode())
                .isEqualTo(403);
        JsonNode bobs = TestServer.json(post(b, "/memory/search", bobOnB, "{\"query\": \"marketing budget\"}"));
        assertThat(bobs.path("hits").toString()).doesNotContain("70000");

        b.close();
        b = server("b");
        JsonNode afterRestart = TestServer.json(post(b, "/memory/search", b.tokenFor("alice", USER),
                "{\"query\": \"marketing budget\", \"scope\": \"user:alice\"}"));
        assertThat(afterRestart.path("hits").get(0).path("item").path("content").asText()).contains("70000");
        try (var projections = Files.list(dir.resolve("b/memory/projections"))) {
            assertThat(projections.toList()).as("the restarted server reused the stopped one's index directory").hasSize(1);
        }
    }

    private JsonNode awaitHit(TestServer server, String token, String scope, String query, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            HttpResponse<String> r = post(server, "/memory/search", token,
                    "{\"query\": \"" + query + "\", \"scope\": \"" + scope + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            for (JsonNode hit : TestServer.json(r).path("hits")) {
                if (hit.path("item").path("content").asText().contains(expected)) return hit;
            }
            assertThat(System.nanoTime()).as("found through the other server within 10 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** As {@link TestServer#post}, with a minute to answer: the shared test machine is often heavily loaded. */
    private static HttpResponse<String> post(TestServer server, String path, String token, String body) {
        return server.send(java.net.http.HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private TestServer server(String name) {
        TestServer.Options options = TestServer.Options.defaults().testModel();
        Settings s = TestServer.settings(dir.resolve(name), options);
        // Memory on: the server opens it (model, index) before it listens, not inside the first request.
        var features = new Settings.Features(true, false, s.features().contracts(), false, s.features().routing());
        Settings settings = new Settings(s.environment(), s.debug(), features, s.llm(), s.memory(), s.contracts(),
                new Settings.State(dir.resolve(name).resolve("state"), 10_000, "postgres"),
                s.api(), s.security(), s.logging(), s.telemetry(), s.routing(), s.agents(), s.tools(),
                new Settings.Services(SERVER + database + "?user=postgres", null,
                        new Settings.Database(2, 4, Duration.ofSeconds(5), Duration.ofSeconds(1800), true, "disable", null)));
        return new TestServer(settings, options, null);
    }

    private long count(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + database + "?sslmode=disable", "postgres", null);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
