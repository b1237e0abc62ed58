package io.sigil.llm;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.errors.ErrorCode;
import io.sigil.fakes.FakeAnthropicServer;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.llm.test.TestModel;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ModelResolverTest {
    private static Settings.Llm llm(String baseUrl, String anthropicKey, String openaiKey) {
        return Settings.Llm.builder().provider("anthropic").model("claude-sonnet-4-20250514").temperature(0.7).maxTokens(4096)
                .timeout(Duration.ofSeconds(60)).maxRetries(0).baseUrl(baseUrl).anthropicApiKey(anthropicKey)
                .openaiApiKey(openaiKey).build();
    }

    @Test
    void parsesModelStrings() {
        ModelResolver resolver = new ModelResolver(llm(null, null, null));

        assertThat(resolver.parse("anthropic:claude-x")).isEqualTo(new ModelResolver.ModelRef("anthropic", "claude-x"));
        assertThat(resolver.parse("ollama:llama3.1:8b")).isEqualTo(new ModelResolver.ModelRef("ollama", "llama3.1:8b"));
        assertThat(resolver.parse("gpt-free-name")).isEqualTo(new ModelResolver.ModelRef("anthropic", "gpt-free-name"));
        assertThat(resolver.parse(null)).isEqualTo(new ModelResolver.ModelRef("anthropic", "claude-sonnet-4-20250514"));
        assertThat(resolver.parse("test").provider()).isEqualTo("test");
        assertThat(resolver.resolve("test")).isInstanceOf(TestModel.class);
    }

    @Test
    void buildsEachModelOnceAndReusesIt() {
        ModelResolver resolver = new ModelResolver(llm(null, "sk-ant-test", null));
        ChatModel first = resolver.resolve("anthropic:claude-a");
        assertThat(resolver.resolve("anthropic:claude-a")).as("same client, same connection pool").isSameAs(first);
        assertThat(resolver.resolve("anthropic:claude-b")).isNotSameAs(first);
        assertThat(resolver.resolve("test")).isSameAs(resolver.resolve("test"));
        assertThatThrownBy(() -> resolver.resolve("openai:gpt-4o")).isInstanceOf(ConfigError.class);
        assertThatThrownBy(() -> resolver.resolve("openai:gpt-4o")).as("a failure is not cached as a model")
                .isInstanceOf(ConfigError.class);
    }

    @Test
    void listsTheKnownProvidersForAnUnknownOne() {
        ConfigError e = catchThrowableOfType(ConfigError.class,
                () -> new ModelResolver(llm(null, null, null)).resolve("gemini:pro"));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_ERROR);
        assertThat(e.getMessage()).contains("'gemini'").contains("anthropic, openai, ollama, test");
    }

    @Test
    void namesTheMissingKeyAndTheAlternatives() {
        ConfigError e = catchThrowableOfType(ConfigError.class,
                () -> new ModelResolver(llm(null, null, null)).resolve("openai:gpt-4o"));

        assertThat(e.getMessage()).contains("OPENAI_API_KEY");
        assertThat(e.hint()).contains("--model test").contains("ollama:");
    }

    @Test
    void neverShowsTheKey() {
        Settings.Llm settings = llm(null, "sk-ant-secret-value", null);

        assertThat(settings.toString()).doesNotContain("sk-ant-secret-value").contains("***");
    }

    @Test
    void usesTheConfiguredBaseUrlAndKey() {
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            ChatModel model = new ModelResolver(llm(server.baseUrl(), "sk-ant-1", null)).resolve("anthropic:claude-x");

            ChatResponse response = model.chat(ChatRequest.of("hi"));

            assertThat(model).isInstanceOf(ResilientChatModel.class);
            assertThat(response.text()).contains("You said: hi");
            assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("claude-x");
            assertThat(server.lastRequest().json().path("max_tokens").asInt()).isEqualTo(4096);
        }
    }

    @Test
    void servesOllamaThroughTheOpenAiProviderWithoutAKey() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            ChatModel model = new ModelResolver(llm(server.baseUrl(), null, null)).resolve("ollama:llama3.1");

            model.chat(ChatRequest.of("hi"));

            assertThat(model.provider()).isEqualTo("ollama");
            assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("llama3.1");
            assertThat(server.lastRequest().json().path("max_tokens").asInt()).isEqualTo(4096);
        }
    }

    @Test
    void prefersTheProviderSpecificBaseUrlWhenNoGeneralOneIsSet() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            Settings.Llm settings = Settings.Llm.builder().provider("openai").model("gpt-4o").maxRetries(0)
                    .openaiApiKey("sk-oa").openaiBaseUrl(server.baseUrl()).build();

            new ModelResolver(settings).resolve((String) null).chat(ChatRequest.of("hi"));

            assertThat(server.lastRequest().header("authorization")).isEqualTo("Bearer sk-oa");
        }
    }

    @Test
    void sharesOneBreakerPerProvider() {
        ProviderBreakers breakers = new ProviderBreakers();
        ModelResolver resolver = new ModelResolver(llm("http://127.0.0.1:9", "k", "k"), breakers);

        ResilientChatModel a = (ResilientChatModel) resolver.resolve("anthropic:a");
        ResilientChatModel b = (ResilientChatModel) resolver.resolve("anthropic:b");
        ResilientChatModel c = (ResilientChatModel) resolver.resolve("openai:c");

        assertThat(a.breaker()).isSameAs(b.breaker()).isNotSameAs(c.breaker());
    }
}
