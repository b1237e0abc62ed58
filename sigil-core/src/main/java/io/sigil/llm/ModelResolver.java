package io.sigil.llm;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.llm.test.TestModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the {@link ChatModel} a model string names: {@code anthropic:<model>}, {@code openai:<model>},
 * {@code ollama:<model>} (the OpenAI provider at {@code http://localhost:11434/v1}, no key) or {@code test}.
 * A model without a prefix uses the configured provider. Providers come from the modules on the classpath
 * ({@link ChatModelProvider}: {@code sigil-anthropic}, {@code sigil-openai}); the test model is always there.
 * Provider models come wrapped in Sigil's resilience
 * policy ({@link ResilientChatModel}), sharing one circuit breaker per provider across every model resolved here.
 * A model is built once per resolver and reused: provider models hold an SDK client with its HTTP connection pool,
 * which every run used to rebuild (no connection reuse, a new pool per request).
 *
 * <p>Base URLs: {@code baseUrl} ({@code SIGIL_LLM__BASE_URL}) applies to whichever provider is chosen; otherwise
 * {@code ANTHROPIC_BASE_URL} or {@code OPENAI_BASE_URL}; otherwise the provider's public endpoint (Ollama: local).
 * A key is required only for a provider's public endpoint: proxies and local servers may not need one.
 */
public final class ModelResolver {
    /** The module that serves each provider Sigil ships, for the hint when it is missing from the classpath. */
    private static final Map<String, String> MODULES = Map.of("anthropic", "io.sigil:sigil-anthropic",
            "openai", "io.sigil:sigil-openai", "ollama", "io.sigil:sigil-openai");

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
    private final Map<String, ChatModelProvider> providers;
    private final Map<ModelRef, ChatModel> built = new ConcurrentHashMap<>();

    public ModelResolver(Settings.Llm settings) { this(settings, new ProviderBreakers()); }

    public ModelResolver(Settings.Llm settings, ProviderBreakers breakers) {
        this(settings, breakers, installedProviders());
    }

    /** With exactly these providers (the test model is always available) instead of the ones on the classpath. */
    public ModelResolver(Settings.Llm settings, ProviderBreakers breakers, List<ChatModelProvider> providers) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        Map<String, ChatModelProvider> byName = new LinkedHashMap<>();
        for (ChatModelProvider p : providers) byName.putIfAbsent(p.name().toLowerCase(Locale.ROOT), p);
        this.providers = Map.copyOf(byName);
    }

    /** The providers registered on the classpath ({@code META-INF/services/io.sigil.llm.ChatModelProvider}). */
    public static List<ChatModelProvider> installedProviders() {
        List<ChatModelProvider> found = new ArrayList<>();
        ServiceLoader.load(ChatModelProvider.class, ModelResolver.class.getClassLoader()).forEach(found::add);
        return found;
    }

    /** The provider prefixes this resolver serves: Sigil's own in their usual order, then others, {@code test} last. */
    public List<String> providers() {
        List<String> names = new ArrayList<>();
        for (String own : List.of("anthropic", "openai", "ollama")) if (providers.containsKey(own)) names.add(own);
        providers.keySet().stream().filter(n -> !names.contains(n)).sorted().forEach(names::add);
        names.add(TestModel.NAME);
        return names;
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
        if (provider != null && !providers.containsKey(provider) && MODULES.containsKey(provider)
                && !provider.equals(TestModel.NAME)) {
            throw new ConfigError("Model provider '" + provider + "' (model '" + text + "') is not on the classpath",
                    "Add " + MODULES.get(provider) + " to the application's dependencies, or run offline with "
                            + "--model test.", Map.of("model", text, "module", MODULES.get(provider)), false, null);
        }
        if (provider == null || !(providers.containsKey(provider) || provider.equals(TestModel.NAME))) {
            throw new ConfigError("Unknown model provider '" + provider + "' in model '" + text + "'. Known providers: "
                    + String.join(", ", providers()),
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
        if (ref.provider().equals(TestModel.NAME)) return TestModel.offlineUnrecorded();
        ChatModelProvider factory = providers.get(ref.provider());
        if (factory == null) throw new IllegalStateException("parse() admits only known providers, got " + ref.provider());
        ChatModel provider = factory.create(ref.model(), settings);
        return new ResilientChatModel(provider, RetryPolicy.of(settings.maxRetries(), settings.timeout()),
                breakers.forProvider(provider.provider()));
    }
}
