package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeLlmServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;
import io.sigil.llm.ChatModel;
import io.sigil.llm.anthropic.AnthropicChatModel;
import io.sigil.llm.openai.OpenAiChatModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The executor driving the real provider SDKs over HTTP against local servers speaking their wire protocols. */
class ContractExecutorWireTest {
    private static final String BAD = "{\"score\": 150, \"bant_assessment\": {\"budget\": \"50k\", \"authority\": \"VP\","
            + " \"need\": \"routing\", \"timeline\": \"Q3\"}, \"recommended_action\": \"Book a demo\"}";
    private static final String VALID = BAD.replace("150", "80");

    private final Contract lead = new ContractTemplates(new ContractLoader()).find("lead_qualification").orElseThrow().contract();

    private static FakeLlmServer server(String provider) {
        return provider.equals("anthropic") ? new FakeAnthropicServer() : new FakeOpenAiServer();
    }

    private static ChatModel model(FakeLlmServer server) {
        Duration timeout = Duration.ofSeconds(10);
        return server instanceof FakeAnthropicServer
                ? AnthropicChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").model("some-model")
                        .temperature(0.2).maxTokens(1024).timeout(timeout).build()
                : OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("test-key").model("some-model")
                        .temperature(0.2).maxTokens(1024).timeout(timeout).build();
    }

    private static ContractExecutor executor(ChatModel model) {
        return ContractExecutor.builder(model).build();
    }

    /** The JSON Schema the request asked for natively, in the provider's own place. */
    private static JsonNode requestedSchema(FakeLlmServer server, JsonNode body) {
        if (server instanceof FakeAnthropicServer) {
            for (JsonNode tool : body.path("tools")) {
                if (tool.path("name").asText().equals(body.path("tool_choice").path("name").asText())) return tool.path("input_schema");
            }
            return null;
        }
        return body.path("response_format").path("json_schema").path("schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai"})
    void retriesWithTheErrorsOverTheWireAndSucceeds(String provider) {
        try (FakeLlmServer server = server(provider)) {
            server.enqueue(FakeReply.json(BAD), FakeReply.json(VALID));

            ContractResult result = executor(model(server)).execute(lead, "Qualify ACME Corp");

            assertThat(result.valid()).isTrue();
            assertThat(result.output().get("score").asInt()).isEqualTo(80);
            assertThat(result.attempts()).hasSize(2);
            assertThat(result.usage().totalTokens()).isPositive();
            assertThat(server.requests()).hasSize(2);
            JsonNode retry = server.requests().get(1).json();
            assertThat(retry.toString()).contains("score: Validation rule failed: 0 <= value <= 100");
            JsonNode schema = requestedSchema(server, retry);
            assertThat(schema.path("properties").path("score").path("type").asText()).isEqualTo("integer");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"anthropic", "openai"})
    void aSlowProviderHitsTheContractTimeout(String provider) {
        try (FakeLlmServer server = server(provider)) {
            server.enqueue(FakeReply.slow(Duration.ofSeconds(5), FakeReply.json(VALID)));
            Contract quick = lead.withConstraints(new Constraints(0, 0, 0, 0, 0.3, 0.8));
            assertThatThrownBy(() -> executor(model(server)).execute(quick, "Qualify"))
                    .isInstanceOf(ContractTimeoutError.class);
        }
    }
}
