package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.testing.PrivatePostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole API as {@code sigil serve} assembles it, with SIGIL_STATE_BACKEND=postgres on a PRIVATE PostgreSQL
 * server (never the shared one), which is crashed ({@code pg_ctl stop -m immediate}) and started again: runs answer
 * 503 [STATE_ERROR] and /health is unhealthy meanwhile; afterwards the same server works again without a restart.
 */
class PostgresServerIT {
    @TempDir
    Path dir;
    private PrivatePostgres postgres;
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        if (postgres != null) postgres.close();
    }

    @Test
    void runsAndHealthFollowTheDatabaseThroughAnOutage() throws Exception {
        postgres = PrivatePostgres.start();
        postgres.createDatabase("sigil");
        TestServer.Options options = TestServer.Options.defaults().testModel();
        Settings s = TestServer.settings(dir, options);
        Settings settings = new Settings(s.environment(), s.debug(),
                new Settings.Features(false, false, s.features().contracts(), false, s.features().routing()),
                s.llm(), s.memory(), s.contracts(), new Settings.State(dir.resolve("state"), 10_000, "postgres"),
                s.api(), s.security(), s.logging(), s.telemetry(), s.routing(), s.agents(), s.tools(),
                new Settings.Services(postgres.url("sigil"), null,
                        new Settings.Database(2, 4, Duration.ofSeconds(2), Duration.ofSeconds(1800), true, "disable", null)));
        server = new TestServer(settings, options, null); // migrates the empty database on start
        String token = server.token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);

        HttpResponse<String> health = server.get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).at("/checks/database/detail").asText()).containsPattern("schema version \\d+");
        HttpResponse<String> run = server.post("/agents/research_assistant/run", token, "{\"message\": \"hello\"}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        String session = json(run).get("session_id").asText();

        // Contracts live in the database: the API writes a row, and reads it back from there.
        String writer = server.token(Scope.CONTRACTS_WRITE, Scope.CONTRACTS_READ);
        HttpResponse<String> created = server.post("/contracts", writer, ContractsHttpTest.TICKET);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(server.post("/contracts", writer, ContractsHttpTest.TICKET).statusCode()).isEqualTo(409);
        try (var c = java.sql.DriverManager.getConnection(postgres.jdbcUrl("sigil"), "postgres", null);
             var rs = c.createStatement().executeQuery("SELECT name, version FROM contracts")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1) + " " + rs.getString(2)).isEqualTo("ticket_triage 1.0.0");
            assertThat(rs.next()).isFalse();
        }
        assertThat(java.nio.file.Files.exists(settings.contracts().dir().resolve("ticket_triage-1.0.0.yaml"))).isFalse();
        assertThat(json(server.getWithBearer("/contracts/ticket_triage", writer)).path("version").asText()).isEqualTo("1.0.0");

        postgres.crash();
        HttpResponse<String> during = server.post("/agents/research_assistant/run", token, "{\"message\": \"during\"}");
        assertThat(during.statusCode()).as(during.body()).isEqualTo(503);
        assertThat(json(during).get("code").asText()).isEqualTo("STATE_ERROR");
        // /health reuses its report for up to a second (HealthEndpoint): the outage shows within that.
        long staleUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        HttpResponse<String> unhealthy = server.get("/health");
        while (unhealthy.statusCode() == 200 && System.nanoTime() < staleUntil) {
            Thread.sleep(200);
            unhealthy = server.get("/health");
        }
        assertThat(unhealthy.statusCode()).isEqualTo(503);
        assertThat(json(unhealthy).at("/checks/database/status").asText()).as(unhealthy.body()).isEqualTo("unhealthy");

        postgres.startServer();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (server.get("/health").statusCode() != 200 && System.nanoTime() < deadline) Thread.sleep(200);
        // The pool refills in the background once the database is back (HikariCP's retry): a run may still get
        // 503 for a moment, never anything else, and succeeds within the deadline without a restart.
        HttpResponse<String> after;
        do {
            after = server.post("/agents/research_assistant/run", token,
                    "{\"message\": \"after\", \"session_id\": \"" + session + "\"}");
            if (after.statusCode() == 503) Thread.sleep(500);
        } while (after.statusCode() == 503 && System.nanoTime() < deadline);
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        HttpResponse<String> events = server.getWithBearer("/sessions/" + session + "/events", token);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).contains("hello").contains("after");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return TestServer.JSON.readTree(r.body());
    }
}
