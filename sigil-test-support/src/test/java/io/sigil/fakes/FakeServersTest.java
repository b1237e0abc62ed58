package io.sigil.fakes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fakes over plain HTTP: the shapes the SDKs parse, errors, truncation and recording. */
class FakeServersTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String url, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anthropicEchoesAndRecords() throws Exception {
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            HttpResponse<String> r = post(server.baseUrl() + "/v1/messages",
                    "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}",
                    "x-api-key", "k1");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("request-id")).hasValue("req_fake_1");
            assertThat(r.body()).contains("\"type\":\"message\"").contains("You said: ping").contains("\"usage\"");
            assertThat(server.lastRequest().header("X-Api-Key")).isEqualTo("k1");
        }
    }

    @Test
    void anthropicStreamsTheEventSequence() throws Exception {
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            server.enqueue(FakeReply.text("a b"));
            String body = post(server.baseUrl() + "/v1/messages",
                    "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").body();

            assertThat(body).containsSubsequence("event: message_start", "event: content_block_start", "event: ping",
                    "event: content_block_delta", "\"text\":\"a\"", "\"text\":\" b\"", "event: content_block_stop",
                    "event: message_delta", "\"stop_reason\":\"end_turn\"", "event: message_stop");
        }
    }

    @Test
    void openAiStreamsChunksUsageAndDone() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.enqueue(FakeReply.toolUse("call_1", "f", "{\"a\": 1}"));
            String body = post(server.baseUrl() + "/chat/completions", "{\"model\":\"m\",\"stream\":true,"
                    + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").body();

            assertThat(body).containsSubsequence("chat.completion.chunk", "\"tool_calls\"", "\"id\":\"call_1\"",
                    "\"finish_reason\":\"tool_calls\"", "\"prompt_tokens\"", "data: [DONE]");
        }
    }

    @Test
    void sendsProviderErrorBodiesWithRetryAfter() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.enqueue(FakeReply.rateLimited(3));
            HttpResponse<String> r = post(server.baseUrl() + "/chat/completions", "{\"messages\":[]}");

            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("retry-after")).hasValue("3");
            assertThat(r.body()).contains("\"error\"").contains("\"message\"");
        }
    }

    @Test
    void truncatesTheBody() {
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            server.enqueue(FakeReply.truncated(FakeReply.text("some text that will be cut")));
            assertThatThrownBy(() -> post(server.baseUrl() + "/v1/messages", "{\"messages\":[]}"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void aResponderAnswersUnscriptedRequestsAndRequestsAreCountedWithTheirBytes() throws Exception {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.respondWith(r -> FakeReply.text(r.body().contains("S2") ? "two" : "one"));
            server.enqueue(FakeReply.text("scripted"));
            String a = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"S1\"}]}";
            String b = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"S2 é\"}]}";
            assertThat(post(server.baseUrl() + "/chat/completions", a).body()).contains("scripted");
            assertThat(post(server.baseUrl() + "/chat/completions", a).body()).contains("\"content\":\"one\"");
            assertThat(post(server.baseUrl() + "/chat/completions", b).body()).contains("\"content\":\"two\"");

            long bytes = 2L * a.length() + b.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(server.requestBytes()).isEqualTo(bytes);
            String origin = server.baseUrl().replace("/v1", "");
            HttpResponse<String> stats = http.send(HttpRequest.newBuilder(URI.create(origin + "/_fake/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stats.body()).isEqualTo("{\"requests\":3,\"request_bytes\":" + bytes + "}");
            HttpResponse<String> last = http.send(HttpRequest.newBuilder(URI.create(origin + "/_fake/requests?last=1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(last.body()).contains("S2");
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(origin + "/_fake/requests?last=x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
        }
    }
}
