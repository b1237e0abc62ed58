package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.runs.AgentRunSocket;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run streaming protocol over real HTTP: JSON and SSE responses, and the WebSocket with its close codes. */
class RunStreamingHttpTest {
    @TempDir
    Path dir;
    TestServer server;
    ScriptedRuns runs = new ScriptedRuns();
    AgentRunSocket socket;
    TrackedRuns tracked;

    void start(AgentRunSocket.Settings wsSettings) {
        tracked = new TrackedRuns(runs, Duration.ofSeconds(2));
        JsonBodies bodies = new JsonBodies(Json.requestMapper());
        socket = new AgentRunSocket(tracked, bodies, Json.responseMapper(), Clock.systemUTC(), wsSettings);
        server = new TestServer(dir, TestServer.Options.defaults(),
                List.of(new RunEndpoint(tracked, bodies, Json.responseMapper(), Clock.systemUTC())), List.of(socket));
        server.server().closeOnStop(tracked);
        server.server().closeOnStop(socket);
    }

    @Test
    void aRevokedApiKeyEndsItsEventStreamAndCancelsTheRun() throws Exception {
        tracked = new TrackedRuns(runs, Duration.ofSeconds(2));
        JsonBodies bodies = new JsonBodies(Json.requestMapper());
        Path state = TestServer.settings(dir, TestServer.Options.defaults()).state().dataDir();
        var watch = new io.sigil.server.http.CredentialWatch(new io.sigil.auth.ApiKeys(
                new io.sigil.auth.FileApiKeyStore(state), Clock.systemUTC()), Clock.systemUTC(), Duration.ofMillis(200));
        server = new TestServer(dir, TestServer.Options.defaults(),
                List.of(new RunEndpoint(tracked, bodies, Json.responseMapper(), Clock.systemUTC(), watch)));
        server.server().closeOnStop(tracked);
        server.server().closeOnStop(watch);
        var key = server.keys.create("erin", java.util.Set.of(Scope.RUNS_EXECUTE), 1000, null);
        var response = server.http.sendAsync(server.request("/agents/echo/run").timeout(Duration.ofSeconds(30))
                .header("X-API-Key", key.plaintext()).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\": \"wait\", \"stream\": true}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        waitFor(() -> runs.started.get() == 1);
        Thread.sleep(600); // a few re-check rounds pass while the key is valid
        assertThat(response).isNotDone();

        assertThat(server.keys.store().revoke(key.key().id(), java.time.Instant.now())).isTrue();
        var sse = response.get(10, TimeUnit.SECONDS);
        assertThat(sse.body()).contains("event: error").contains("API key revoked").contains("event: complete")
                .contains("cancelled");
        assertThat(runs.cancelled.get()).isEqualTo(1);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void runAnswersJsonOrServerSentEvents() {
        start(AgentRunSocket.Settings.DEFAULTS);
        String token = server.token(Scope.RUNS_EXECUTE);
        HttpResponse<String> json = server.post("/agents/echo/run", token,
                "{\"message\": \"hello there\", \"context\": {\"lang\": \"en\"}}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        JsonNode body = TestServer.json(json);
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("user").asText()).isEqualTo("tester");
        assertThat(body.path("context_keys").get(0).asText()).isEqualTo("lang");

        HttpResponse<String> sse = server.post("/agents/echo/run", token, "{\"message\": \"one two three\", \"stream\": true}");
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = sseEvents(sse.body());
        assertThat(events).extracting(e -> e.path("type").asText())
                .containsExactly("status", "token", "token", "token", "complete");
        for (int i = 0; i < events.size(); i++) assertThat(events.get(i).path("sequence").asLong()).isEqualTo(i + 1);
        assertThat(events.get(1).path("data").path("delta").asText()).isEqualTo("one ");
        assertThat(events.get(0).path("timestamp").asText()).isNotBlank();
        assertThat(sse.body()).contains("event: token\n").contains("id: 5\n");
    }

    @Test
    void runRequestsAreValidatedAndScoped() {
        start(AgentRunSocket.Settings.DEFAULTS);
        String token = server.token(Scope.RUNS_EXECUTE);
        HttpResponse<String> blank = server.post("/agents/echo/run", token, "{\"message\": \"\"}");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(blank).path("invalid_params").get(0).path("name").asText()).isEqualTo("message");
        assertThat(server.post("/agents/echo/run", token, "{\"message\": \"hi\", \"stream\": \"yes\"}").statusCode()).isEqualTo(400);
        assertThat(server.post("/agents/nobody/run", token, "{\"message\": \"hi\"}").statusCode()).isEqualTo(404);
        assertThat(server.post("/agents/echo/run", token, "{\"message\": \"hi\", \"stream\": true, \"session_id\": \"missing\"}")
                .statusCode()).isEqualTo(404);
        assertThat(server.post("/agents/echo/run", server.token(Scope.AGENTS_READ), "{\"message\": \"hi\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void webSocketStreamsTypedMessagesAndStaysOpenForTheNextRun() throws Exception {
        start(AgentRunSocket.Settings.DEFAULTS);
        Client c = connect("/ws/agents/echo/run", server.token(Scope.RUNS_EXECUTE), true);
        JsonNode ready = c.next();
        assertThat(ready.path("type").asText()).isEqualTo("connection_ready");
        assertThat(ready.path("sequence").asLong()).isEqualTo(1);
        assertThat(ready.path("data").path("agent").asText()).isEqualTo("echo");

        c.ws.sendText("{\"message\": \"a b\", \"context\": {\"k\": 1}}", true).join();
        assertThat(c.typesUntilComplete()).containsExactly("ack", "status", "token", "token", "complete");
        c.ws.sendText("{\"message\": \"again\"}", true).join();
        assertThat(c.typesUntilComplete()).containsExactly("ack", "status", "token", "complete");
        assertThat(c.sequences()).isEqualTo(contiguous(c.received.size()));

        c.ws.sendText("{\"text\": \"hi\"}", true).join();
        JsonNode error = c.next();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("data").path("invalid_params").get(0).path("name").asText()).isEqualTo("message");
        c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void unknownAgentClosesWith4004() throws Exception {
        start(AgentRunSocket.Settings.DEFAULTS);
        Client c = connect("/ws/agents/nobody/run", server.token(Scope.RUNS_EXECUTE), true);
        assertThat(c.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(4004);
    }

    @Test
    void handshakeNeedsACredentialWithTheScope() throws Exception {
        start(AgentRunSocket.Settings.DEFAULTS);
        assertThat(handshakeStatus("/ws/agents/echo/run", null)).isEqualTo(401);
        assertThat(handshakeStatus("/ws/agents/echo/run", "not-a-jwt")).isEqualTo(401);
        assertThat(handshakeStatus("/ws/agents/echo/run", server.token(Scope.AGENTS_READ))).isEqualTo(403);
        // The token as a query parameter (browsers cannot set headers on a WebSocket).
        Client c = connect("/ws/agents/echo/run?token=" + server.token(Scope.RUNS_EXECUTE), null, true);
        assertThat(c.next().path("type").asText()).isEqualTo("connection_ready");
        c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    @Test
    void expiredCredentialClosesWith1008AndCancelsTheRun() throws Exception {
        start(AgentRunSocket.Settings.DEFAULTS);
        String shortLived = server.signer.mint("tester", Set.of(Scope.RUNS_EXECUTE), Duration.ofSeconds(2), null, null);
        Client c = connect("/ws/agents/echo/run", shortLived, true);
        assertThat(c.next().path("data").has("credential_expires_at")).isTrue();
        c.ws.sendText("{\"message\": \"wait\"}", true).join();
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        waitUntil(Duration.ofSeconds(5), () -> runs.cancelled.get() == 1);
        waitUntil(Duration.ofSeconds(5), () -> tracked.inFlight() == 0);
    }

    @Test
    void slowClientGetsABackpressureWarningThenIsClosed() throws Exception {
        start(new AgentRunSocket.Settings(Duration.ofSeconds(15), 16, Duration.ofSeconds(2)));
        Client c = connect("/ws/agents/echo/run", server.token(Scope.RUNS_EXECUTE), false);
        c.ws.sendText("{\"message\": \"flood 5000\"}", true).join();
        // Read nothing for a while: the server's socket buffers fill, then its queue.
        waitUntil(Duration.ofSeconds(10), () -> runs.cancelled.get() == 1);
        c.readAll();
        assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1013);
        assertThat(c.received).anySatisfy(m -> {
            assertThat(m.path("type").asText()).isEqualTo("warning");
            assertThat(m.path("data").path("code").asText()).isEqualTo("backpressure");
        });
        assertThat(c.received.size()).isLessThan(100);
    }

    @Test
    void shutdownLetsRunsFinishOrCancelsThem() throws Exception {
        start(AgentRunSocket.Settings.DEFAULTS);
        Client c = connect("/ws/agents/echo/run", server.token(Scope.RUNS_EXECUTE), true);
        c.next();
        c.ws.sendText("{\"message\": \"wait\"}", true).join();
        waitUntil(Duration.ofSeconds(5), () -> tracked.inFlight() == 1);
        server.close();
        server = null;
        assertThat(runs.cancelled.get()).isEqualTo(1);
        assertThat(tracked.inFlight()).isZero();
    }

    // --- helpers

    static void waitUntil(Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + limit);
            Thread.sleep(20);
        }
    }

    static List<Long> contiguous(int n) {
        List<Long> l = new ArrayList<>();
        for (long i = 1; i <= n; i++) l.add(i);
        return l;
    }

    static List<JsonNode> sseEvents(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String frame : body.split("\n\n")) {
            for (String line : frame.split("\n")) {
                if (line.startsWith("data: ")) {
                    try {
                        out.add(TestServer.JSON.readTree(line.substring(6)));
                    } catch (Exception e) {
                        throw new AssertionError(line, e);
                    }
                }
            }
        }
        return out;
    }

    int handshakeStatus(String path, String token) throws InterruptedException {
        try {
            connect(path, token, true);
            return 101;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    Client connect(String path, String token, boolean reading) throws InterruptedException, ExecutionException {
        Client c = new Client(reading);
        WebSocket.Builder b = server.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) b.header("Authorization", "Bearer " + token);
        c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + path), c).get();
        return c;
    }

    /** A java.net.http WebSocket client collecting messages; a non-reading one requests nothing after the first. */
    static final class Client implements WebSocket.Listener {
        final boolean reading;
        final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        final List<JsonNode> received = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket ws;

        Client(boolean reading) { this.reading = reading; }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode n = TestServer.JSON.readTree(partial.toString());
                    received.add(n);
                    inbox.add(n);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                partial.setLength(0);
            }
            if (reading) webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }

        void readAll() {
            ws.request(Long.MAX_VALUE);
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(n).as("a message within 10 s").isNotNull();
            return n;
        }

        List<String> typesUntilComplete() throws InterruptedException {
            List<String> types = new ArrayList<>();
            while (true) {
                String t = next().path("type").asText();
                types.add(t);
                if (t.equals("complete") || types.size() > 1000) return types;
            }
        }

        List<Long> sequences() {
            return received.stream().map(m -> m.path("sequence").asLong()).toList();
        }
    }
}
