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
import java.util.List;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI-compatible API over raw HTTP: the SSE wire format byte for byte where OpenAI fixes it, sessions owned
 * by the caller and their events, json_object, and OpenAI error bodies (with {@code param}) for every client mistake.
 */
class OpenAiCompatHttpTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String alice;
    static String bob;

    @BeforeAll
    static void start() {
        server = TestServer.full(dir, TestServer.Options.defaults().testModel());
        assertThat(server.post("/agents", server.token(Scope.AGENTS_WRITE), OpenAiJavaClientTest.HELPER).statusCode())
                .isEqualTo(201);
        alice = server.tokenFor("alice", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        bob = server.tokenFor("bob", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static HttpResponse<String> complete(String token, String body, String... headers) {
        // A generous timeout: the first run of a server loads the guard's embedding model, slow on a loaded machine.
        HttpRequest.Builder b = server.request("/v1/chat/completions").timeout(java.time.Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return server.send(b.build());
    }

    static JsonNode error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode e = TestServer.json(r).path("error");
        assertThat(e.path("message").asText()).isNotBlank();
        assertThat(e.has("type") && e.has("param") && e.has("code")).as(r.body()).isTrue();
        return e;
    }

    @Test
    void streamIsOpenAisEventFormat() {
        HttpResponse<String> r = complete(alice, """
                {"model": "helper", "stream": true, "messages": [{"role": "user", "content": "hello"}]}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String[] frames = r.body().split("\n\n");
        assertThat(frames).allSatisfy(f -> assertThat(f).startsWith("data: "));
        assertThat(frames[frames.length - 1]).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = RunStreamingHttpTest.sseEvents(r.body().replace("data: [DONE]", ""));
        assertThat(chunks.getFirst().path("choices").get(0).path("delta").toString())
                .isEqualTo("{\"role\":\"assistant\",\"content\":\"\"}");
        JsonNode finish = chunks.getLast().path("choices").get(0);
        assertThat(finish.path("delta").toString()).isEqualTo("{}");
        assertThat(finish.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.has("usage")).as("no usage unless stream_options.include_usage").isFalse();
        });
    }

    @Test
    void runsAreRecordedInSessionsOfTheCallerThatTheUserFieldOrHeaderContinue() {
        HttpResponse<String> first = complete(alice, """
                {"model": "helper", "messages": [{"role": "user", "content": "remember the word zebra"}]}""");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String session = first.headers().firstValue("Sigil-Session-Id").orElseThrow();

        // Continued through the user field, then through the header.
        assertThat(complete(alice, """
                {"model": "helper", "user": "%s", "messages": [{"role": "user", "content": "second turn"}]}"""
                .formatted(session)).headers().firstValue("Sigil-Session-Id")).hasValue(session);
        assertThat(complete(alice, """
                {"model": "helper", "messages": [{"role": "user", "content": "third turn"}]}""",
                "Sigil-Session-Id", session).statusCode()).isEqualTo(200);
        JsonNode events = TestServer.json(server.getWithBearer("/sessions/" + session + "/events", alice));
        List<String> types = StreamSupport.stream(events.path("items").spliterator(), false)
                .map(e -> e.path("event_type").asText()).toList();
        assertThat(types).contains("session.started", "message.added", "llm.called");
        assertThat(events.toString()).contains("remember the word zebra", "second turn", "third turn");

        // Another caller cannot continue it: with the header it is not found; a user field that names no session
        // of the caller's is only an end-user label, and the run starts a session of its own.
        JsonNode e = error(complete(bob, """
                {"model": "helper", "messages": [{"role": "user", "content": "hi"}]}""", "Sigil-Session-Id", session), 404);
        assertThat(e.path("type").asText()).isEqualTo("invalid_request_error");
        HttpResponse<String> labelled = complete(bob, """
                {"model": "helper", "user": "%s", "messages": [{"role": "user", "content": "hi"}]}""".formatted(session));
        assertThat(labelled.statusCode()).isEqualTo(200);
        assertThat(labelled.headers().firstValue("Sigil-Session-Id").orElseThrow()).isNotEqualTo(session);
        assertThat(server.getWithBearer("/sessions/" + session, bob).statusCode()).isEqualTo(404);
    }

    @Test
    void jsonObjectAnswersWithAJsonObject() throws Exception {
        HttpResponse<String> r = complete(alice, """
                {"model": "helper", "response_format": {"type": "json_object"},
                 "messages": [{"role": "user", "content": "give me JSON"}]}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode content = TestServer.JSON.readTree(TestServer.json(r).path("choices").get(0).path("message")
                .path("content").asText());
        assertThat(content.isObject()).isTrue();
    }

    @Test
    void clientMistakesAreOpenAiErrorsNamingTheParam() {
        assertThat(error(complete(alice, """
                {"model": "helper", "messages": [{"role": "user", "content": "hi"}], "frobnicate": 1}"""), 400)
                .path("param").asText()).isEqualTo("frobnicate");
        assertThat(error(complete(alice, """
                {"model": "helper", "messages": [{"role": "system", "content": "only rules"}]}"""), 400)
                .path("param").asText()).isEqualTo("messages");
        assertThat(error(complete(alice, """
                {"model": "helper", "messages": [{"role": "user", "content": "hi"},
                  {"role": "tool", "tool_call_id": "call_x", "content": "42"}]}"""), 400)
                .path("param").asText()).isEqualTo("messages[1].tool_call_id");
        assertThat(error(complete(alice, """
                {"model": "helper", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}"""),
                400).path("param").asText()).isEqualTo("messages[0].content[0].type");
        assertThat(error(complete(alice, """
                {"model": "helper", "tool_choice": "required", "messages": [{"role": "user", "content": "hi"}]}"""), 400)
                .path("param").asText()).isEqualTo("tool_choice");
        assertThat(error(complete(alice, "{\"model\": \"helper\", \"messages\": [}"), 400).path("type").asText())
                .isEqualTo("invalid_request_error");

        JsonNode unauthorized = error(server.send(server.request("/v1/models").GET().build()), 401);
        assertThat(unauthorized.path("code").asText()).isEqualTo("invalid_api_key");
        JsonNode forbidden = error(server.getWithBearer("/v1/models", server.token(Scope.AGENTS_READ)), 403);
        assertThat(forbidden.path("message").asText()).contains("runs:execute");
        error(server.getWithBearer("/v1/no-such-endpoint", alice), 404);
        assertThat(error(server.getWithBearer("/v1/models/nobody", alice), 404).path("code").asText())
                .isEqualTo("model_not_found");
    }
}
