package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.Sigil;
import io.sigil.agents.AgentDefinition;
import io.sigil.approval.Approvals;
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
import io.sigil.server.approvals.AppendLineToolSource;
import io.sigil.server.approvals.ApprovalDesk;
import io.sigil.server.approvals.ApprovalEndpoints;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.runs.AgentRunSocket;
import io.sigil.server.runs.OrchestratorRuns;
import io.sigil.server.runs.RunDrain;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The approvals API over real HTTP and WebSocket, wired as ServerComponents.open does, with a scripted model. */
class ApprovalsHttpTest {
    @TempDir Path dir;
    private Sigil runtime;
    private TrackedRuns runs;
    private ApprovalDesk desk;
    private TestServer server;

    /** Asks for append_line first; given its result, answers with what it said. */
    static ChatResponse script(ChatRequest r) {
        Message last = r.messages().getLast();
        if (last instanceof Message.ToolResult result) {
            return TestModel.text("Final answer: the tool said " + (result.isError() ? "(error) " : "") + result.content());
        }
        return TestModel.toolCalls(new ToolCall("call_1", "append_line",
                JsonNodeFactory.instance.objectNode().put("text", "from the model")));
    }

    @BeforeEach
    void start() {
        TestServer.Options options = TestServer.Options.defaults().testModel();
        Settings settings = TestServer.settings(dir, options);
        Clock clock = Clock.systemUTC();
        var meters = new SimpleMeterRegistry();
        runtime = Sigil.builder().settings(settings).meters(meters).clock(clock).build();
        runtime.tools().register(new AppendLineToolSource.AppendLine(dir.resolve("lines.log")));
        runtime.agents().save(new AgentDefinition("logger", "Keeps the log", "You keep the log.", "test",
                List.of("append_line"), null, false, false, "react", Map.of(), List.of("append_line")));
        TestModel model = TestModel.scripted(ApprovalsHttpTest::script);
        Orchestrator orchestrator = Orchestrator.builder().config(OrchestratorConfig.from(settings)).agents(runtime.agents())
                .definitions(runtime.definitions()).models(m -> model).router(runtime.router())
                .sessions(runtime.sessions()).memory(runtime::memory).contracts(runtime.contracts())
                .tools(runtime.tools()).planCache(new PlanCache(clock, PlanCache.DEFAULT_TTL, 100)).meters(meters)
                .clock(clock).build();
        runs = new TrackedRuns(new OrchestratorRuns(orchestrator, runtime.agents()), Duration.ofSeconds(5), clock);
        desk = new ApprovalDesk(new Approvals(runtime.events(), runtime.tools(), clock), runs, null);
        JsonBodies bodies = new JsonBodies(Json.requestMapper());
        AgentRunSocket socket = new AgentRunSocket(runs, bodies, Json.responseMapper(), clock,
                AgentRunSocket.Settings.DEFAULTS, null, desk);
        RunEndpoint endpoint = new RunEndpoint(runs, bodies, Json.responseMapper(), clock);
        List<ApiEndpoint> endpoints = new ArrayList<>(List.of(endpoint));
        endpoints.addAll(ApprovalEndpoints.all(desk, bodies, 100));
        server = new TestServer(settings, options, ServerComponents.of(endpoints, List.of(socket),
                new RunDrain(runs, List.of(socket)), new ServerState(runs, endpoint, List.of(socket), runtime),
                List.of(socket, desk)));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        if (runtime != null) runtime.close();
    }

    private String alice() { return server.tokenFor("alice", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ); }

    private long lines() throws Exception {
        Path f = dir.resolve("lines.log");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    @Test
    void restListsDecidesAndAnswersClientMistakesClearly() throws Exception {
        String alice = alice();
        HttpResponse<String> run = server.post("/agents/logger/run", alice, "{\"message\": \"log the deploy\"}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode paused = TestServer.json(run);
        assertThat(paused.get("status").asText()).isEqualTo("awaiting_approval");
        String id = paused.get("request_id").asText();
        assertThat(paused.at("/metadata/approvals/0/call_id").asText()).isEqualTo("call_1");

        JsonNode mine = TestServer.json(server.getWithBearer("/approvals", alice));
        assertThat(mine.get("total").asInt()).isEqualTo(1);
        assertThat(mine.at("/items/0/arguments/text").asText()).isEqualTo("from the model");
        String bob = server.tokenFor("bob", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        assertThat(TestServer.json(server.getWithBearer("/approvals", bob)).get("total").asInt()).isZero();
        assertThat(server.getWithBearer("/runs/" + id + "/approvals", bob).statusCode()).isEqualTo(404);
        assertThat(server.post("/runs/" + id + "/approvals/call_1", bob, "{\"decision\": \"approve\"}").statusCode())
                .as("another user cannot decide").isEqualTo(404);
        assertThat(server.getWithBearer("/approvals?status=bogus", alice).statusCode()).isEqualTo(400);

        HttpResponse<String> maybe = server.post("/runs/" + id + "/approvals/call_1", alice, "{\"decision\": \"maybe\"}");
        assertThat(maybe.statusCode()).isEqualTo(400);
        assertThat(maybe.body()).contains("neither approve nor deny");
        HttpResponse<String> denyWithArgs = server.post("/runs/" + id + "/approvals/call_1", alice,
                "{\"decision\": \"deny\", \"arguments\": {\"text\": \"x\"}}");
        assertThat(denyWithArgs.statusCode()).isEqualTo(400);
        HttpResponse<String> badArgs = server.post("/runs/" + id + "/approvals/call_1", alice,
                "{\"decision\": \"approve\", \"arguments\": {\"text\": 7}}");
        assertThat(badArgs.statusCode()).isEqualTo(400);
        assertThat(badArgs.body()).contains("input schema of append_line");
        assertThat(lines()).isZero();

        HttpResponse<String> ok = server.post("/runs/" + id + "/approvals/call_1", alice,
                "{\"decision\": \"approve\", \"reason\": \"looks right\"}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode decided = TestServer.json(ok);
        assertThat(decided.at("/approval/status").asText()).isEqualTo("approved");
        assertThat(decided.at("/approval/decision/by").asText()).isEqualTo("alice");
        assertThat(decided.at("/run/status").asText()).isEqualTo("success");
        assertThat(decided.at("/run/answer").asText()).contains("appended line 1");
        assertThat(lines()).isEqualTo(1);

        HttpResponse<String> twice = server.post("/runs/" + id + "/approvals/call_1", alice, "{\"decision\": \"approve\"}");
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(TestServer.json(twice).get("code").asText()).isEqualTo("APPROVAL_DECIDED");
        assertThat(lines()).isEqualTo(1);
    }

    @Test
    void theWebSocketAnnouncesTheHeldCallAndTakesTheDecision() throws Exception {
        RunStreamingHttpTest.Client c = new RunStreamingHttpTest.Client(true);
        c.ws = server.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + alice())
                .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/ws/agents/logger/run"), c).get();
        assertThat(c.next().path("type").asText()).isEqualTo("connection_ready");
        c.ws.sendText("{\"message\": \"log the deploy\"}", true).join();
        List<String> first = c.typesUntilComplete();
        assertThat(first).containsSubsequence("ack", "approval_required", "complete");
        JsonNode required = c.received.stream().filter(m -> m.path("type").asText().equals("approval_required"))
                .findFirst().orElseThrow();
        JsonNode complete = c.received.getLast();
        assertThat(complete.at("/data/status").asText()).isEqualTo("awaiting_approval");
        String run = required.at("/data/run_id").asText();

        c.ws.sendText("{\"type\": \"approval\", \"run_id\": \"" + run + "\", \"call_id\": \"call_1\","
                + " \"decision\": \"deny\", \"reason\": \"not now\"}", true).join();
        List<String> second = c.typesUntilComplete();
        assertThat(second).containsSubsequence("ack", "tool_call", "tool_result", "complete");
        JsonNode result = c.received.stream().filter(m -> m.path("type").asText().equals("tool_result"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(result.at("/data/ok").asBoolean()).isFalse();
        assertThat(result.at("/data/result").asText()).contains("not now");
        assertThat(c.received.getLast().at("/data/status").asText()).isEqualTo("success");
        assertThat(c.received.getLast().at("/data/answer").asText()).contains("not now");
        assertThat(lines()).isZero();

        // Sent the moment `complete` is read: the connection's run slot is free by then (no run_in_progress).
        c.ws.sendText("{\"type\": \"approval\", \"run_id\": \"" + run + "\", \"call_id\": \"call_1\","
                + " \"decision\": \"approve\"}", true).join();
        JsonNode error;
        do {
            error = c.next();
        } while (!error.path("type").asText().equals("error"));
        assertThat(error.at("/data/code").asText()).isEqualTo("APPROVAL_DECIDED");
        c.ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    /** The command line with no SIGIL_URL: only {@code --url} points it at the server. */
    private TestServer.Cli cli(String... args) {
        return TestServer.cli(Map.of("SIGIL_STATE_DATA_DIR", dir.resolve("cli-state").toString()), dir, args);
    }

    @Test
    void theCliListsAndDecidesOnTheServerNamedByUrl() throws Exception {
        String alice = alice();
        JsonNode paused = TestServer.json(server.post("/agents/logger/run", alice, "{\"message\": \"log the deploy\"}"));
        String id = paused.get("request_id").asText();
        String url = "http://127.0.0.1:" + server.server().port();

        TestServer.Cli list = cli("approvals", "list", "--url", url, "--token", alice);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains("pending  run " + id + "  call call_1  append_line").contains("from the model");
        JsonNode rows = TestServer.JSON.readTree(cli("approvals", "list", "--url", url, "--token", alice, "--json").out());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).path("run_id").asText()).isEqualTo(id);
        String bob = server.tokenFor("bob", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        assertThat(cli("approvals", "list", "--url", url, "--token", bob).out()).contains("No pending approvals.");
        TestServer.Cli local = cli("approvals", "list");
        assertThat(local.out()).as("without --url the command reads its own (empty) state").contains("No pending approvals.");

        TestServer.Cli approve = cli("approvals", "approve", id, "call_1", "--url", url, "--token", alice,
                "--arguments", "{\"text\": \"edited by hand\"}", "--reason", "fine");
        assertThat(approve.exit()).as(approve.err()).isZero();
        assertThat(approve.err()).contains("approved: append_line (call_1); the run went on: success");
        assertThat(approve.out()).contains("appended line 1");
        assertThat(Files.readString(dir.resolve("lines.log"))).contains("edited by hand");

        TestServer.Cli again = cli("approvals", "deny", id, "call_1", "--url", url, "--token", alice);
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("approved already").doesNotContain("Exception");
        JsonNode all = TestServer.JSON.readTree(cli("approvals", "list", "--url", url, "--token", alice, "--status", "all",
                "--json").out());
        assertThat(all.get(0).path("status").asText()).isEqualTo("approved");
        assertThat(all.get(0).at("/decision/by").asText()).isEqualTo("alice");
        assertThat(lines()).isEqualTo(1);
    }
}
