package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.events.file.FileEventStore;
import io.sigil.sessions.SessionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static io.sigil.server.ContractsHttpTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions and events over real HTTP, read from the event store the server owns. */
class SessionsHttpTest {
    @TempDir
    Path dir;

    /** Writes sessions before the server starts: while it runs, the server holds the store's lock. */
    void seed() {
        TestServer.Options o = TestServer.Options.defaults();
        Path state = TestServer.settings(dir, o).state().dataDir();
        try (FileEventStore store = FileEventStore.open(state, 10_000)) {
            SessionManager sessions = new SessionManager(store);
            sessions.create("alpha", "lead_qualifier", "alice", Map.of());
            EventSink sink = sessions.sink("alpha", "lead_qualifier", "c1");
            for (int i = 0; i < 7; i++) {
                sink.emit(EventType.MESSAGE_ADDED, Map.of("role", i % 2 == 0 ? "user" : "assistant", "content", "m" + i));
            }
            sessions.create("beta", "research_assistant", "bob", Map.of());
            sessions.end("beta", "done");
            sessions.create("gamma", null, null, Map.of());
            sessions.archive("gamma");
        }
    }

    @Test
    void readsSessionsAndEventsPaged() {
        seed();
        try (TestServer server = TestServer.full(dir, TestServer.Options.defaults())) {
            // An administrator sees every session; an owner only its own (alpha is alice's, beta bob's).
            String reader = server.tokenFor("root", Scope.ADMIN);
            JsonNode list = TestServer.json(server.getWithBearer("/sessions", reader));
            assertThat(list.path("total").asInt()).isEqualTo(2);
            JsonNode own = TestServer.json(server.getWithBearer("/sessions?archived=true",
                    server.tokenFor("alice", Scope.SESSIONS_READ)));
            assertThat(own.path("total").asInt()).isEqualTo(1);
            assertThat(own.path("items").get(0).path("id").asText()).isEqualTo("alpha");
            assertThat(own.path("items").get(0).path("owner").asText()).isEqualTo("alice");
            assertThat(TestServer.json(server.getWithBearer("/sessions?archived=true", reader)).path("total").asInt()).isEqualTo(3);
            JsonNode first = TestServer.json(server.getWithBearer("/sessions?limit=1", reader));
            assertThat(first.path("items")).hasSize(1);
            assertThat(first.path("next_offset").asInt()).isEqualTo(1);
            assertProblem(server.getWithBearer("/sessions?archived=maybe", reader), 400);

            JsonNode alpha = TestServer.json(server.getWithBearer("/sessions/alpha", reader));
            assertThat(alpha.path("status").asText()).isEqualTo("active");
            assertThat(alpha.path("agent_id").asText()).isEqualTo("lead_qualifier");
            assertThat(alpha.path("messages")).hasSize(7);
            // alpha's last message (m6, a user's) has no answer: start-up's crash sweep marked that run interrupted.
            assertThat(alpha.path("version").asInt()).isEqualTo(9);
            assertThat(alpha.path("last_run").asText()).isEqualTo("interrupted");
            JsonNode marker = TestServer.json(server.getWithBearer("/sessions/alpha/events?type=run.interrupted", reader));
            assertThat(marker.path("items").get(0).path("payload").path("reason").asText()).contains("crash");
            assertThat(marker.path("items").get(0).path("payload").path("interrupted_at").asText()).isNotBlank();

            JsonNode events = TestServer.json(server.getWithBearer("/sessions/alpha/events?type=message.added&limit=5", reader));
            assertThat(events.path("total").asInt()).isEqualTo(7);
            assertThat(events.path("items")).hasSize(5);
            assertThat(events.path("items").get(0).path("event_type").asText()).isEqualTo("message.added");
            assertThat(events.path("items").get(0).path("payload").path("content").asText()).isEqualTo("m0");
            assertThat(events.path("items").get(0).path("version").asInt()).isEqualTo(2);
            JsonNode all = TestServer.json(server.getWithBearer("/sessions/alpha/events", reader));
            assertThat(all.path("items").get(0).path("event_type").asText()).isEqualTo("session.started");

            assertProblem(server.getWithBearer("/sessions/nope", reader), 404);
            assertProblem(server.getWithBearer("/sessions/nope/events", reader), 404);
            assertProblem(server.getWithBearer("/sessions/" + "x".repeat(101), reader), 400);
            assertProblem(server.get("/sessions"), 401);
            assertProblem(server.getWithBearer("/sessions", server.token(Scope.AGENTS_READ)), 403);
        }
    }

    @Test
    void administratorsEndAndDeleteSessions() {
        seed();
        try (TestServer server = TestServer.full(dir, TestServer.Options.defaults())) {
            String reader = server.tokenFor("alice", Scope.SESSIONS_READ);
            String admin = server.token(Scope.ADMIN);
            assertProblem(server.post("/sessions/alpha/end", reader, "{}"), 403);
            HttpResponse<String> ended = server.post("/sessions/alpha/end", admin, "{\"reason\": \"closed by support\"}");
            assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
            assertThat(TestServer.json(ended).path("status").asText()).isEqualTo("ended");
            JsonNode endEvent = TestServer.json(server.getWithBearer("/sessions/alpha/events?type=session.ended", reader));
            assertThat(endEvent.path("items").get(0).path("payload").path("reason").asText()).isEqualTo("closed by support");
            HttpResponse<String> noBody = server.send(server.request("/sessions/beta/end")
                    .header("Authorization", "Bearer " + admin).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertThat(noBody.statusCode()).isEqualTo(200);

            assertProblem(server.delete("/sessions/beta", reader), 403);
            assertThat(server.delete("/sessions/beta", admin).statusCode()).isEqualTo(204);
            assertProblem(server.getWithBearer("/sessions/beta", reader), 404);
            assertProblem(server.delete("/sessions/beta", admin), 404);
        }
    }

    @Test
    void theServerHoldsTheStoreUntilItStops() {
        TestServer server = TestServer.full(dir, TestServer.Options.defaults());
        Path state = server.settings.state().dataDir();
        assertThatThrownBy(() -> FileEventStore.open(state, 10_000)).isInstanceOf(RuntimeException.class);
        server.close();
        try (FileEventStore reopened = FileEventStore.open(state, 10_000)) {
            assertThat(reopened.sessions()).isEmpty();
        }
    }
}
