package io.sigil.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeLlmServer;
import io.sigil.fakes.FakeReply;
import io.sigil.fakes.RecordedRequest;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatModelConformance;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.ToolSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AnthropicConformanceTest extends ChatModelConformance {

    @Override
    protected FakeLlmServer newServer() { return new FakeAnthropicServer(); }

    @Override
    protected ChatModel provider(String baseUrl, String apiKey, String model) {
        return AnthropicChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).model(model).temperature(0.2).maxTokens(256)
                .timeout(Duration.ofSeconds(10)).build();
    }

    @Override
    protected String sentApiKey(RecordedRequest request) {
        // The SDK sends the key as x-api-key or, in recent versions, as a bearer token.
        String auth = request.header("authorization");
        return request.header("x-api-key") != null ? request.header("x-api-key")
                : auth == null ? null : auth.replaceFirst("^Bearer ", "");
    }

    @Override
    protected String sentToolResult(JsonNode body, String toolCallId) {
        for (JsonNode message : body.path("messages")) {
            for (JsonNode block : message.path("content")) {
                if ("tool_result".equals(block.path("type").asText()) && toolCallId.equals(block.path("tool_use_id").asText())) {
                    return block.path("content").isTextual() ? block.path("content").asText() : block.path("content").toString();
                }
            }
        }
        return null;
    }

    @Override
    protected boolean asksForSchema(JsonNode body, String name) {
        boolean offered = false;
        for (JsonNode tool : body.path("tools")) offered |= name.equals(tool.path("name").asText());
        return offered && "tool".equals(body.path("tool_choice").path("type").asText())
                && name.equals(body.path("tool_choice").path("name").asText());
    }

    @Test
    void marksSystemPromptAndToolsForPromptCaching() throws Exception {
        ToolSpec lookup = new ToolSpec("lookup", "Look a word up", JSON.readTree("{\"type\":\"object\"}"));
        ChatRequest request = ChatRequest.builder().system("You are a careful assistant. ".repeat(20)).tool(lookup)
                .user("hi").build();
        server.enqueue(FakeReply.text("first"), FakeReply.text("second"));
        ChatModel model = model();

        ChatResponse first = model.chat(request);
        ChatResponse second = model.chat(request);

        JsonNode sent = server.lastRequest().json();
        assertThat(sent.path("system").get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(sent.path("tools").get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(first.usage().cacheWriteTokens()).isPositive();
        assertThat(second.usage().cacheReadTokens()).isEqualTo(first.usage().cacheWriteTokens());
        assertThat(server.lastRequest().header("anthropic-version")).isNotBlank();
    }

    @Test
    void sendsDefaultsAndStopSequences() {
        model().chat(ChatRequest.builder().user("hi").stopSequence("END").build());

        JsonNode sent = server.lastRequest().json();
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("stop_sequences").get(0).asText()).isEqualTo("END");
    }
}
