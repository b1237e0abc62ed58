package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.sigil.server.ContractsHttpTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Agents CRUD, runs (JSON, SSE, WebSocket) and plans through the real orchestrator with the offline test model. */
class AgentsAndRunsHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String run;
    static String write;
    static String read;

    static final String SUPPORT = """
            {"name": "support_bot", "description": "Answers support questions",
             "system_prompt": "You are a helpful support agent.", "model": "test", "tools": ["current_time"]}
            """;

    @BeforeAll
    static void start() {
        server = TestServer.full(dir, TestServer.Options.defaults().testModel());
        run = server.token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        write = server.token(Scope.AGENTS_WRITE);
        read = server.token(Scope.AGENTS_READ);
        HttpResponse<String> created = server.post("/agents", write, SUPPORT);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() { server.close(); }

    @Test
    void agentsCrud() {
        JsonNode list = TestServer.json(server.getWithBearer("/agents", read));
        List<String> names = new ArrayList<>();
        list.path("items").forEach(a -> names.add(a.path("name").asText()));
        assertThat(names).contains("lead_qualifier", "research_assistant", "appointment_setter", "support_bot");
        assertThat(TestServer.json(server.getWithBearer("/agents/support_bot", read)).path("tools").get(0).asText())
                .isEqualTo("current_time");

        assertProblem(server.post("/agents", write, SUPPORT), 409);
        HttpResponse<String> bad = server.post("/agents", write,
                "{\"name\": \"Bad Name\", \"description\": \"x\", \"colour\": \"red\", \"memory_enabled\": \"yes\"}");
        assertProblem(bad, 400);
        List<String> fields = new ArrayList<>();
        TestServer.json(bad).path("invalid_params").forEach(p -> fields.add(p.path("name").asText()));
        assertThat(fields).contains("name", "system_prompt", "colour", "memory_enabled");

        String replaced = SUPPORT.replace("Answers support questions", "Answers billing questions");
        HttpResponse<String> put = server.send(server.request("/agents/support_bot").header("Authorization", "Bearer " + write)
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(replaced)).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(TestServer.json(put).path("description").asText()).isEqualTo("Answers billing questions");
        HttpResponse<String> mismatch = server.send(server.request("/agents/other_bot").header("Authorization", "Bearer " + write)
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString(SUPPORT)).build());
        assertProblem(mismatch, 400);

        assertThat(server.post("/agents", write, SUPPORT.replace("support_bot", "temp_bot")).statusCode()).isEqualTo(201);
        assertThat(server.delete("/agents/temp_bot", write).statusCode()).isEqualTo(204);
        assertProblem(server.delete("/agents/temp_bot", write), 404);
        assertProblem(server.delete("/agents/lead_qualifier", write), 409);
        assertProblem(server.post("/agents", read, SUPPORT.replace("support_bot", "x_bot")), 403);
        assertProblem(server.getWithBearer("/agents/Not-Valid", read), 400);
    }

    @Test
    void runAnswersJsonAndRecordsTheSession() {
        HttpResponse<String> r = server.post("/agents/support_bot/run", run,
                "{\"message\": \"What time is it in Berlin?\", \"context\": {\"customer\": \"acme\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode response = TestServer.json(r);
        assertThat(response.path("status").asText()).isEqualTo("success");
        assertThat(response.path("answer").asText()).isNotBlank();
        String session = response.path("session_id").asText();
        JsonNode recorded = TestServer.json(server.getWithBearer("/sessions/" + session, run));
        assertThat(recorded.path("messages").size()).isGreaterThanOrEqualTo(2);

        HttpResponse<String> again = server.post("/agents/support_bot/run", run,
                "{\"message\": \"And in Tokyo?\", \"session_id\": \"" + session + "\"}");
        assertThat(TestServer.json(again).path("session_id").asText()).isEqualTo(session);
        assertProblem(server.post("/agents/nobody/run", run, "{\"message\": \"hi\"}"), 404);
        assertThat(server.post("/sessions/" + session + "/end", server.token(Scope.ADMIN), "{}").statusCode()).isEqualTo(200);
        assertProblem(server.post("/agents/support_bot/run", run, "{\"message\": \"more\", \"session_id\": \"" + session + "\"}"), 409);
        assertProblem(server.post("/agents/support_bot/run", run, "{\"message\": \"hi\", \"session_id\": \"no-such-session\"}"), 404);
    }

    @Test
    void runStreamsServerSentEvents() {
        HttpResponse<String> r = server.post("/agents/support_bot/run", run, "{\"message\": \"Summarise our refund policy\", \"stream\": true}");
        assertThat(r.statusCode()).isEqualTo(200);
        List<JsonNode> events = RunStreamingHttpTest.sseEvents(r.body());
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types).contains("status").last().isEqualTo("complete");
        assertThat(events.getLast().path("data").path("status").asText()).isEqualTo("success");
        assertSynthetic(events.getLast().path("data"));
        for (int i = 0; i < events.size(); i++) assertThat(events.get(i).path("sequence").asLong()).isEqualTo(i + 1);
    }

    @Test
    void webSocketStreamsTheSameRun() throws Exception {
        RunStreamingHttpTest.Client c = new RunStreamingHttpTest.Client(true);
        c.ws = server.http.newWebSocketBuilder().header("Authorization", "Bearer " + run)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/ws/agents/support_bot/run"), c).get();
        assertThat(c.next().path("type").asText()).isEqualTo("connection_ready");
        c.ws.sendText("{\"message\": \"Summarise our refund policy\"}", true).join();
        List<String> types = c.typesUntilComplete();
        assertThat(types.getFirst()).isEqualTo("ack");
        assertThat(types).contains("status").last().isEqualTo("complete");
        assertThat(c.received.getLast().path("data").path("status").asText()).isEqualTo("success");
        assertSynthetic(c.received.getLast().path("data"));

        RunStreamingHttpTest.Client unknown = new RunStreamingHttpTest.Client(true);
        unknown.ws = server.http.newWebSocketBuilder().header("Authorization", "Bearer " + run)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/ws/agents/nobody/run"), unknown).get();
        assertThat(unknown.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(4004);
    }

    @Test
    void debugStateShowsRunsStreamsSocketsStoreAndMemory() {
        HttpResponse<String> r = server.getWithBearer("/debug/state", server.token(Scope.ADMIN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode state = TestServer.json(r);
        assertThat(state.path("runs").path("in_flight").isInt()).isTrue();
        assertThat(state.path("runs").path("shutting_down").asBoolean()).isFalse();
        assertThat(state.path("sse_streams").isInt()).isTrue();
        assertThat(state.path("websocket").path("open").isInt()).isTrue();
        assertThat(state.path("event_store").path("pending_appends").isInt()).isTrue();
        assertThat(state.path("memory").has("open")).isTrue();
        assertThat(state.path("requests_in_flight").asLong()).isGreaterThanOrEqualTo(1);
        assertProblem(server.getWithBearer("/debug/state", run), 403);
    }

    @Test
    void plansWithoutRunning() {
        HttpResponse<String> r = server.post("/plans", run, "{\"goal\": \"Research three competitors and compare their pricing\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode plan = TestServer.json(r).path("plan");
        assertThat(plan.path("steps").size()).isGreaterThanOrEqualTo(1);
        assertThat(plan.path("goal").asText()).startsWith("Research");
        assertSynthetic(TestServer.json(r));
        HttpResponse<String> cached = server.post("/plans", run, "{\"goal\": \"Research three competitors and compare their pricing\"}");
        assertThat(TestServer.json(cached).path("cached").asBoolean()).isTrue();
        assertProblem(server.post("/plans", run, "{\"goal\": \" \"}"), 400);
        assertProblem(server.post("/plans", read, "{\"goal\": \"x\"}"), 403);
    }

    /** Output of the offline test model says so in the response itself (issue 16, point 3). */
    static void assertSynthetic(JsonNode response) {
        assertThat(response.path("metadata").path("synthetic").asBoolean()).as(response.toString()).isTrue();
        assertThat(response.path("warnings").toString()).contains("synthetic output: invented by the offline test model");
    }
}
