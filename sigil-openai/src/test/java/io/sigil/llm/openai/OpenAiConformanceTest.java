package io.sigil.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.fakes.FakeLlmServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.RecordedRequest;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatModelConformance;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ProviderConfig;
import io.sigil.llm.StreamListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiConformanceTest extends ChatModelConformance {

    @Override
    protected FakeLlmServer newServer() { return new FakeOpenAiServer(); }

    @Override
    protected ChatModel provider(String baseUrl, String apiKey, String model) {
        return new OpenAiChatModel(new ProviderConfig(baseUrl, apiKey, model, 0.2, 256, Duration.ofSeconds(10)));
    }

    @Override
    protected String sentApiKey(RecordedRequest request) {
        String auth = request.header("authorization");
        return auth == null ? null : auth.replaceFirst("^Bearer ", "");
    }

    @Override
    protected String sentToolResult(JsonNode body, String toolCallId) {
        for (JsonNode message : body.path("messages")) {
            if ("tool".equals(message.path("role").asText()) && toolCallId.equals(message.path("tool_call_id").asText())) {
                return message.path("content").asText();
            }
        }
        return null;
    }

    @Override
    protected boolean asksForSchema(JsonNode body, String name) {
        JsonNode format = body.path("response_format");
        return "json_schema".equals(format.path("type").asText())
                && name.equals(format.path("json_schema").path("name").asText())
                && format.path("json_schema").path("schema").has("properties");
    }

    @Test
    void asksForUsageWhenStreaming() {
        model().stream(ChatRequest.of("hi"), StreamListener.NONE);

        assertThat(server.lastRequest().json().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void sendsDefaultsAndStopSequences() {
        model().chat(ChatRequest.builder().user("hi").stopSequence("END").build());

        JsonNode sent = server.lastRequest().json();
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(256);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("stop").toString()).contains("END");
    }
}
