package io.sigil.health;

import io.sigil.config.Settings;

import java.util.Locale;

/**
 * The configured LLM provider has its API key. Deliberately no network call: a health probe every few seconds
 * must not spend tokens or trip the provider's rate limits. Local providers (ollama, the test model) need no key,
 * and neither does a provider reached through a base URL (a proxy or a local server may not want one).
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
            case "anthropic" -> keyed(provider, llm.anthropicApiKey(), "ANTHROPIC_API_KEY",
                    llm.baseUrl() != null ? llm.baseUrl() : llm.anthropicBaseUrl());
            case "openai" -> keyed(provider, llm.openaiApiKey(), "OPENAI_API_KEY",
                    llm.baseUrl() != null ? llm.baseUrl() : llm.openaiBaseUrl());
            case "ollama", "test" -> Result.healthy(provider + ": no key needed");
            default -> Result.unhealthy("unknown provider '" + provider
                    + "' in llm.model; use anthropic:, openai:, ollama: or test");
        };
    }

    /** A {@code provider:} prefix on the model wins over the provider setting. */
    String provider() {
        String model = llm.model() == null ? "" : llm.model();
        if (model.equals("test")) return "test";
        int colon = model.indexOf(':');
        String p = colon > 0 ? model.substring(0, colon) : llm.provider();
        return p == null ? "" : p.toLowerCase(Locale.ROOT);
    }

    private static Result keyed(String provider, String key, String variable, String baseUrl) {
        if (key != null && !key.isBlank()) return Result.healthy(provider + ": key present (" + variable + ")");
        if (baseUrl != null && !baseUrl.isBlank()) return Result.healthy(provider + ": no key, using " + baseUrl);
        return Result.degraded(provider + ": no key; set " + variable
                + " (or --set llm.model=test for the offline model)");
    }
}
