package io.sigil.llm;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.llm.anthropic.AnthropicChatModel;
import io.sigil.llm.openai.OpenAiChatModel;
import io.sigil.llm.test.TestModel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link ChatModel} a model string names: {@code anthropic:<model>}, {@code openai:<model>},
 * {@code ollama:<model>} (the OpenAI provider at {@code http://localhost:11434/v1}, no key) or {@code test}.
 * A model without a prefix uses the configured provider. Provider models come wrapped in Sigil's resilience
 * policy ({@link ResilientChatModel}), sharing one circuit breaker per provider across every model resolved here.
 * A model is built once per resolver and reused: provider models hold an SDK client with its HTTP connection pool,
 * which every run used to rebuild (no connection reuse, a new pool per request).
 *
 * <p>Base URLs: {@code baseUrl} ({@code SIGIL_LLM__BASE_URL}) applies to whichever provider is chosen; otherwise
 * {@code ANTHROPIC_BASE_URL} or {@code OPENAI_BASE_URL}; otherwise the provider's public endpoint (Ollama: local).
 * A key is required only for a provider's public endpoint: proxies and local servers may not need one.
 */
public final class ModelResolver {
    public static final List<String> PROVIDERS = List.of("anthropic", "openai", "ollama", "test");
    public static final String OLLAMA_BASE_URL = "http://localhost:11434/v1";

    /** A parsed model string. */
    public record ModelRef(String provider, String model) {
        public ModelRef {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(model, "model");
        }

        @Override
        public String toString() { return provider.equals("test") ? "test" : provider + ":" + model; }
    }

    private final Settings.Llm settings;
    private final ProviderBreakers breakers;
    private final Map<ModelRef, ChatModel> built = new ConcurrentHashMap<>();

    public ModelResolver(Settings.Llm settings) { this(settings, new ProviderBreakers()); }

    public ModelResolver(Settings.Llm settings, ProviderBreakers breakers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
    }

    /** Parses a model string; null or blank means the configured model. */
    public ModelRef parse(String modelString) {
        String text = modelString == null || modelString.isBlank() ? settings.model() : modelString.strip();
        if (text == null || text.isBlank()) {
            throw new ConfigError("No model configured", "Set SIGIL_LLM__MODEL (e.g. anthropic:claude-sonnet-4-20250514) "
                    + "or pass --model test.");
        }
        if (text.equals(TestModel.NAME)) return new ModelRef(TestModel.NAME, TestModel.NAME);
        int colon = text.indexOf(':');
        String provider = colon < 0 ? settings.provider() : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String model = colon < 0 ? text : text.substring(colon + 1);
        if (provider == null || !PROVIDERS.contains(provider)) {
            throw new ConfigError("Unknown model provider '" + provider + "' in model '" + text + "'. Known providers: "
                    + String.join(", ", PROVIDERS),
                    "Write the model as provider:model, e.g. anthropic:claude-sonnet-4-20250514, openai:gpt-4o, "
                            + "ollama:llama3.1 or test.", Map.of("model", text), false, null);
        }
        if (provider.equals(TestModel.NAME)) return new ModelRef(TestModel.NAME, TestModel.NAME);
        if (model.isBlank()) {
            throw new ConfigError("Model '" + text + "' names no model after '" + provider + ":'",
                    "Write it as " + provider + ":<model name>.");
        }
        return new ModelRef(provider, model);
    }

    /** The model a model string names (see the class comment); null means the configured model. */
    public ChatModel resolve(String modelString) { return resolve(parse(modelString)); }

    public ChatModel resolve(ModelRef ref) {
        ChatModel known = built.get(ref);
        return known != null ? known : built.computeIfAbsent(ref, this::build); // a ConfigError caches nothing
    }

    private ChatModel build(ModelRef ref) {
        ChatModel provider = switch (ref.provider()) {
            case "test" -> null;
            case "anthropic" -> new AnthropicChatModel(config(ref, firstNonNull(settings.baseUrl(), settings.anthropicBaseUrl()),
                    settings.anthropicApiKey(), AnthropicChatModel.KEY_VARIABLE));
            case "openai" -> {
                String baseUrl = firstNonNull(settings.baseUrl(), settings.openaiBaseUrl());
                // Compatible servers (vLLM, LM Studio, llama.cpp) understand max_tokens more widely.
                yield new OpenAiChatModel(config(ref, baseUrl, settings.openaiApiKey(), OpenAiChatModel.KEY_VARIABLE),
                        OpenAiChatModel.PROVIDER, baseUrl != null);
            }
            case "ollama" -> new OpenAiChatModel(new ProviderConfig(firstNonNull(settings.baseUrl(), OLLAMA_BASE_URL),
                    null, ref.model(), settings.temperature(), settings.maxTokens(), settings.timeout()), "ollama", true);
            default -> throw new IllegalStateException("parse() admits only known providers, got " + ref.provider());
        };
        if (provider == null) return TestModel.offlineUnrecorded();
        return new ResilientChatModel(provider, RetryPolicy.of(settings.maxRetries(), settings.timeout()),
                breakers.forProvider(provider.provider()));
    }

    private ProviderConfig config(ModelRef ref, String baseUrl, String apiKey, String keyVariable) {
        if ((apiKey == null || apiKey.isBlank()) && baseUrl == null) {
            throw new ConfigError("No API key for " + ref.provider() + ": set " + keyVariable
                    + " (or SIGIL_LLM__" + keyVariable + ")",
                    "Run offline with --model test, or use a local model with --model ollama:<model>.",
                    Map.of("provider", ref.provider(), "variable", keyVariable), false, null);
        }
        return new ProviderConfig(baseUrl, apiKey == null || apiKey.isBlank() ? null : apiKey, ref.model(),
                settings.temperature(), settings.maxTokens(), settings.timeout());
    }

    private static String firstNonNull(String a, String b) { return a != null && !a.isBlank() ? a : b; }
}
