package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.cluster.LocalClusterBus;
import io.sigil.cluster.LocalSessionLeases;
import io.sigil.server.cluster.ClusterRuns;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.runs.AgentRunSocket;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebSocket's run slots over real HTTP, with the session leases of a scaled-out deployment (in-process
 * adapters): a run's slots are free when its {@code complete} arrives, and a busy session is refused with the same
 * code on WebSocket and HTTP.
 */
class RunSocketSlotsHttpTest {
    @TempDir Path dir;
    private final ScriptedRuns runs = new ScriptedRuns();
    private final LocalSessionLeases leases = new LocalSessionLeases();
    private ClusterRuns cluster;
    private TestServer server;

    @BeforeEach
    void start() {
        cluster = new ClusterRuns(runs, leases, new LocalClusterBus(), Json.responseMapper());
        TrackedRuns tracked = new TrackedRuns(cluster, Duration.ofSeconds(2));
        JsonBodies bodies = new JsonBodies(Json.requestMapper());
        AgentRunSocket socket = new AgentRunSocket(tracked, bodies, Json.responseMapper(), Clock.systemUTC(),
                AgentRunSocket.Settings.DEFAULTS);
        server = new TestServer(dir, TestServer.Options.defaults(),
                List.of(new RunEndpoint(tracked, bodies, Json.responseMapper(), Clock.systemUTC())), List.of(socket));
        server.server().closeOnStop(tracked);
        server.server().closeOnStop(socket);
        server.server().closeOnStop(cluster);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void theNextMessageSentRightAfterCompleteStartsARun() throws Exception {
        RunStreamingHttpTest.Client c = connect();
        assertThat(c.next().path("type").asText()).isEqualTo("connection_ready");
        // 'linger' keeps its run's thread going half a second after `complete`: the slots must be free before that.
        c.ws.sendText("{\"message\": \"linger on\", \"session_id\": \"s-linger\"}", true).join();
        assertThat(c.typesUntilComplete()).containsExactly("ack", "status", "token", "token", "complete");
        c.ws.sendText("{\"message\": \"linger again\", \"session_id\": \"s-linger\"}", true).join();
        List<String> next = c.typesUntilComplete();
        assertThat(next).as("neither run_in_progress nor session busy: %s", c.received).doesNotContain("error")
                .containsExactly("ack", "status", "token", "token", "complete");
        assertThat(c.received.getLast().at("/data/status").asText()).isEqualTo("success");
        c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void aBusySessionIsRefusedWithTheSameCodeOnWebSocketAndHttp() throws Exception {
        RunStreamingHttpTest.Client a = connect();
        a.next();
        a.ws.sendText("{\"message\": \"wait\", \"session_id\": \"s-busy\"}", true).join();
        assertThat(a.next().path("type").asText()).isEqualTo("ack");
        RunStreamingHttpTest.waitUntil(Duration.ofSeconds(5), () -> leases.held("s-busy"));

        RunStreamingHttpTest.Client b = connect();
        b.next();
        b.ws.sendText("{\"message\": \"hello\", \"session_id\": \"s-busy\"}", true).join();
        assertThat(b.next().path("type").asText()).isEqualTo("ack");
        JsonNode error = b.next();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/data/code").asText()).isEqualTo(ClusterRuns.SESSION_BUSY);
        assertThat(error.at("/data/status").asInt()).isEqualTo(409);
        assertThat(error.at("/data/type").asText()).endsWith("session-busy");
        assertThat(error.at("/data/retry_after_seconds").asInt()).isEqualTo(2);
        assertThat(error.at("/data/message").asText()).contains("s-busy").contains("/sessions/s-busy/cancel");

        HttpResponse<String> http = server.post("/agents/echo/run", server.token(Scope.RUNS_EXECUTE),
                "{\"message\": \"hello\", \"session_id\": \"s-busy\"}");
        assertThat(http.statusCode()).isEqualTo(409);
        JsonNode problem = TestServer.json(http);
        assertThat(problem.path("code").asText()).isEqualTo(error.at("/data/code").asText());
        assertThat(problem.path("type").asText()).isEqualTo(error.at("/data/type").asText());

        // The refused connection keeps no run: once the session is free, its next message runs.
        a.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        RunStreamingHttpTest.waitUntil(Duration.ofSeconds(5), () -> !leases.held("s-busy"));
        b.ws.sendText("{\"message\": \"now\", \"session_id\": \"s-busy\"}", true).join();
        assertThat(b.typesUntilComplete()).containsExactly("ack", "status", "token", "complete");
        b.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    private RunStreamingHttpTest.Client connect() throws Exception {
        RunStreamingHttpTest.Client c = new RunStreamingHttpTest.Client(true);
        c.ws = server.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + server.token(Scope.RUNS_EXECUTE))
                .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/ws/agents/echo/run"), c).get();
        return c;
    }
}
