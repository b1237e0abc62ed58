package io.sigil.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.fakes.FakeLlmServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.RecordedRequest;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatModelConformance;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.StreamListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OpenAiConformanceTest extends ChatModelConformance {

    @Override
    protected FakeLlmServer newServer() { return new FakeOpenAiServer(); }

    @Override
    protected ChatModel provider(String baseUrl, String apiKey, String model) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).model(model).temperature(0.2).maxTokens(256)
                .timeout(Duration.ofSeconds(10)).build();
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

    @Test
    void sendsNoTemperatureOrMaxTokensUnlessConfigured() {
        OpenAiChatModel unset = OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("sk-test").model("gpt-4o-mini")
                .timeout(Duration.ofSeconds(10)).build();
        unset.chat(ChatRequest.of("hi"));
        JsonNode sent = server.lastRequest().json();
        assertThat(sent.has("temperature")).isFalse();
        assertThat(sent.has("max_completion_tokens")).isFalse();
        assertThat(sent.has("max_tokens")).isFalse();

        unset.chat(ChatRequest.builder().user("hi").temperature(0.1).maxTokens(42).build());
        sent = server.lastRequest().json();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.1);
        assertThat(sent.path("max_completion_tokens").asInt()).isEqualTo(42);
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void sendsAnOutputSchemaAsGivenAndConvertsItOncePerSchema() {
        io.sigil.llm.OutputSchema schema = new io.sigil.llm.OutputSchema("lead", json(
                "{\"type\":\"object\",\"description\":\"A lead\",\"properties\":{\"score\":{\"type\":\"integer\",\"minimum\":0}}}"));
        OpenAiChatModel model = (OpenAiChatModel) provider(server.baseUrl(), "sk-test", "gpt-4o-mini");
        ChatRequest request = ChatRequest.builder().user("hi").outputSchema(schema).build();
        var first = model.params(request, false).responseFormat().orElseThrow().jsonSchema().orElseThrow();
        var second = model.params(request, false).responseFormat().orElseThrow().jsonSchema().orElseThrow();
        assertThat(second).isSameAs(first);

        model.chat(request);
        JsonNode sent = server.lastRequest().json().path("response_format").path("json_schema");
        assertThat(sent.path("name").asText()).isEqualTo("lead");
        assertThat(sent.path("schema")).isEqualTo(schema.schema());
    }
}
