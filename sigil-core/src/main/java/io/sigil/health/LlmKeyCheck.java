package io.sigil.health;

import io.sigil.config.Settings;

import java.util.Locale;

/**
 * The configured LLM provider has its API key. Deliberately no network call: a health probe every few seconds
 * must not spend tokens or trip the provider's rate limits. Local providers (ollama, the test model) need no key.
 */
public final class LlmKeyCheck implements HealthCheck {
    private final Settings.Llm llm;

    public LlmKeyCheck(Settings.Llm llm) {
        this.llm = llm;
    }

    @Override
    public String name() { return "llm"; }

    /** Without a model the server still serves sessions, memory and contracts: degraded, not down. */
    @Override
    public boolean critical() { return false; }

    @Override
    public Result check() {
        String provider = provider();
        return switch (provider) {
            case "anthropic" -> keyed(provider, llm.anthropicApiKey(), "ANTHROPIC_API_KEY");
            case "openai" -> keyed(provider, llm.openaiApiKey(), "OPENAI_API_KEY");
            case "ollama", "test" -> Result.healthy("provider " + provider + " needs no API key");
            default -> Result.unhealthy("unknown provider '" + provider + "'");
        };
    }

    /** A {@code provider:} prefix on the model wins over the provider setting. */
    String provider() {
        String model = llm.model() == null ? "" : llm.model();
        int colon = model.indexOf(':');
        if (model.equals("test")) return "test";
        String p = colon > 0 ? model.substring(0, colon) : llm.provider();
        return p == null ? "" : p.toLowerCase(Locale.ROOT);
    }

    private static Result keyed(String provider, String key, String variable) {
        return key == null || key.isBlank()
                ? Result.unhealthy("provider " + provider + " has no API key (set " + variable + ")")
                : Result.healthy("provider " + provider + " API key present");
    }
}
