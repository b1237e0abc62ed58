package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.agents.AgentDefinition;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.test.TestModel;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.planning.PlanCache;
import io.sigil.Sigil;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.runs.AgentRunSocket;
import io.sigil.server.runs.OrchestratorRuns;
import io.sigil.server.runs.RunDrain;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;
import io.sigil.sessions.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sigil.server.ContractsHttpTest.assertProblem;
import static io.sigil.server.RunStreamingHttpTest.sseEvents;
import static io.sigil.server.RunStreamingHttpTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs through the real orchestrator (ReAct, the built-in current_time tool, the event store) over real HTTP, SSE
 * and WebSocket, with the scripted offline test model: tool calls are streamed, and shutdown lets runs finish
 * within the grace period, refuses new ones, and cancels and records the rest.
 */
class OrchestratedRunsHttpTest {
    private static final Pattern SLEEP = Pattern.compile("sleep (\\d+)");

    @TempDir
    Path dir;
    Sigil runtime;
    TrackedRuns runs;
    RunEndpoint sse;
    TestServer server;

    /**
     * The model: asked with tools offered, it calls current_time; given the tool's result, it answers; a prompt
     * saying {@code sleep N} makes it think for N ms first (a cancelled run interrupts it).
     */
    static ChatResponse script(ChatRequest r) {
        Message last = r.messages().getLast();
        if (last instanceof Message.ToolResult result) return TestModel.text("Final answer: the clock said " + result.toolName());
        String prompt = last instanceof Message.User u ? u.text() : "";
        Matcher sleep = SLEEP.matcher(prompt);
        if (sleep.find()) {
            try {
                Thread.sleep(Long.parseLong(sleep.group(1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while thinking");
            }
            return TestModel.text("Final answer: done thinking");
        }
        if (!r.tools().isEmpty()) {
            return TestModel.toolCalls(new ToolCall("call_1", "current_time",
                    JsonNodeFactory.instance.objectNode().put("timezone", "UTC")));
        }
        return TestModel.text("Final answer: no tools");
    }

    void start(Duration grace) {
        TestServer.Options options = TestServer.Options.defaults().testModel();
        Settings settings = TestServer.settings(dir, options);
        Clock clock = Clock.systemUTC();
        var meters = new SimpleMeterRegistry();
        runtime = Sigil.builder().settings(settings).meters(meters).clock(clock).build();
        runtime.agents().save(new AgentDefinition("clock_bot", "Tells the time", "You tell the time.", "test",
                List.of("current_time"), null, false, false, "react", Map.of()));
        TestModel model = TestModel.scripted(OrchestratedRunsHttpTest::script);
        Orchestrator orchestrator = Orchestrator.builder().config(OrchestratorConfig.from(settings)).agents(runtime.agents())
                .definitions(runtime.definitions()).models(m -> model).router(runtime.router())
                .sessions(runtime.sessions()).memory(runtime::memory).contracts(runtime.contracts())
                .tools(runtime.tools()).planCache(new PlanCache(clock, PlanCache.DEFAULT_TTL, 100)).meters(meters)
                .clock(clock).build();
        runs = new TrackedRuns(new OrchestratorRuns(orchestrator, runtime.agents()), grace, clock);
        JsonBodies bodies = new JsonBodies(Json.requestMapper());
        AgentRunSocket socket = new AgentRunSocket(runs, bodies, Json.responseMapper(), clock, AgentRunSocket.Settings.DEFAULTS);
        RunEndpoint endpoint = new RunEndpoint(runs, bodies, Json.responseMapper(), clock);
        sse = endpoint;
        // As ServerComponents.open wires them for `sigil serve`, with the scripted model in the orchestrator.
        server = new TestServer(settings, options, ServerComponents.of(List.of(endpoint), List.of(socket),
                new RunDrain(runs, List.of(socket)), new ServerState(runs, endpoint, List.of(socket), runtime),
                List.of(socket)));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (runtime != null) runtime.close();
    }

    @Test
    void toolCallsAndResultsAreStreamedOverSseAndWebSocket() throws Exception {
        start(Duration.ofSeconds(5));
        String token = server.token(Scope.RUNS_EXECUTE);
        HttpResponse<String> sse = server.post("/agents/clock_bot/run", token, "{\"message\": \"what time is it?\", \"stream\": true}");
        assertThat(sse.statusCode()).as(sse.body()).isEqualTo(200);
        List<JsonNode> events = sseEvents(sse.body());
        assertToolMessages(events);

        RunStreamingHttpTest.Client ws = connect(token);
        assertThat(ws.next().path("type").asText()).isEqualTo("connection_ready");
        ws.ws.sendText("{\"message\": \"what time is it now?\"}", true).join();
        List<JsonNode> messages = new java.util.ArrayList<>();
        for (JsonNode m = ws.next(); ; m = ws.next()) {
            messages.add(m);
            if (m.path("type").asText().equals("complete")) break;
        }
        assertToolMessages(messages);
        ws.ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "").join();

        // The session records the call too.
        String sessionId = events.getLast().path("data").path("session_id").asText();
        Session session = runtime.sessions().load(sessionId);
        assertThat(session.toolCalls()).hasSize(1);
    }

    /** tool_call then tool_result (same call id, the result as the model got it) before a successful complete. */
    private static void assertToolMessages(List<JsonNode> messages) {
        List<String> types = messages.stream().map(m -> m.path("type").asText()).toList();
        assertThat(types).containsSubsequence("tool_call", "tool_result", "complete");
        assertThat(types.getLast()).isEqualTo("complete");
        JsonNode call = messages.get(types.indexOf("tool_call")).path("data");
        JsonNode result = messages.get(types.indexOf("tool_result")).path("data");
        assertThat(call.path("call_id").asText()).isEqualTo("call_1");
        assertThat(call.path("tool").asText()).isEqualTo("current_time");
        assertThat(call.path("arguments").path("timezone").asText()).isEqualTo("UTC");
        assertThat(result.path("call_id").asText()).isEqualTo("call_1");
        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("result").asText()).contains("UTC");
        assertThat(result.path("truncated").asBoolean()).isFalse();
        assertThat(result.has("duration_ms")).isTrue();
        assertThat(messages.getLast().path("data").path("status").asText()).isEqualTo("success");
        assertThat(types.indexOf("tool_result")).isGreaterThan(types.indexOf("tool_call"));
    }

    @Test
    void shutdownLetsRunsFinishWithinTheGracePeriodRefusesNewOnesAndCancelsTheRest() throws Exception {
        start(Duration.ofSeconds(4));
        String token = server.token(Scope.RUNS_EXECUTE);
        String body = "{\"message\": \"%s\", \"stream\": true}";
        CompletableFuture<HttpResponse<String>> quick = CompletableFuture.supplyAsync(() ->
                server.post("/agents/clock_bot/run", token, body.formatted("sleep 300")));
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() ->
                server.send(server.request("/agents/clock_bot/run").timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.formatted("sleep 60000"))).build()));
        RunStreamingHttpTest.Client ws = connect(token);
        assertThat(ws.next().path("type").asText()).isEqualTo("connection_ready");
        ws.ws.sendText("{\"message\": \"sleep 300\"}", true).join();
        waitUntil(Duration.ofSeconds(10), () -> runs.inFlight() == 3);
        waitUntil(Duration.ofSeconds(10), () -> runs.runs().stream().allMatch(r -> r.sessionId() != null));
        waitUntil(Duration.ofSeconds(10), () -> sse.openStreams() == 2);

        JsonNode state = TestServer.json(server.getWithBearer("/debug/state", server.token(Scope.ADMIN)));
        assertThat(state.path("runs").path("in_flight").asInt()).isEqualTo(3);
        assertThat(state.path("runs").path("items")).allSatisfy(r -> {
            assertThat(r.path("agent").asText()).isEqualTo("clock_bot");
            assertThat(r.path("session_id").asText()).isNotBlank();
            assertThat(r.path("started_at").asText()).isNotBlank();
            assertThat(r.path("status").asText()).isNotBlank();
        });
        assertThat(state.path("sse_streams").asInt()).isEqualTo(2);
        assertThat(state.path("websocket").path("open").asInt()).isEqualTo(1);
        assertThat(state.path("websocket").path("connections").get(0).path("running").asBoolean()).isTrue();
        assertThat(state.path("websocket").path("connections").get(0).has("queued_messages")).isTrue();
        assertThat(state.path("event_store").has("pending_appends")).isTrue();
        assertThat(state.path("memory").path("open").asBoolean()).isFalse();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.server().stop());
        waitUntil(Duration.ofSeconds(5), runs::closing);

        // New work is refused while the runs in flight drain.
        HttpResponse<String> refused = server.post("/agents/clock_bot/run", token, "{\"message\": \"hi\"}");
        assertProblem(refused, 503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        RunStreamingHttpTest.Client late = connect(token);
        assertThat(late.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(AgentRunSocket.SERVICE_RESTART);

        stopping.get(60, TimeUnit.SECONDS);
        server = null;

        // Started before the stop and quick: finished, and its client got the complete message.
        assertThat(sseEvents(quick.get().body()).getLast().path("data").path("status").asText()).isEqualTo("success");
        List<String> wsTypes = new java.util.ArrayList<>();
        for (String t = ""; !t.equals("complete"); ) {
            t = ws.next().path("type").asText();
            wsTypes.add(t);
        }
        assertThat(wsTypes).startsWith("ack").endsWith("complete");
        assertThat(ws.received.getLast().path("data").path("status").asText()).isEqualTo("success");
        assertThat(ws.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(AgentRunSocket.GOING_AWAY);

        // Longer than the grace period: cancelled, told so, and recorded in its session.
        JsonNode complete = sseEvents(slow.get().body()).getLast();
        assertThat(complete.path("type").asText()).isEqualTo("complete");
        assertThat(complete.path("data").path("status").asText()).isEqualTo("cancelled");
        assertThat(complete.path("data").path("errors").toString()).contains("server shut down");
        Session session = runtime.sessions().load(complete.path("data").path("session_id").asText());
        assertThat(session.errors()).anySatisfy(e -> {
            assertThat(e.code()).isEqualTo("CANCELLED");
            assertThat(e.message()).contains("the server shut down before the run finished");
        });
        assertThat(session.messages().getLast().role()).isEqualTo("assistant");
        assertThat(runs.inFlight()).isZero();
    }

    RunStreamingHttpTest.Client connect(String token) throws Exception {
        RunStreamingHttpTest.Client c = new RunStreamingHttpTest.Client(true);
        c.ws = server.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token)
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.server().port() + "/ws/agents/clock_bot/run"), c)
                .get();
        return c;
    }
}
