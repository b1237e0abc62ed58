package io.sigil.llm;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider adapter needs: where to send requests, the key (null for keyless local servers), and the
 * defaults for requests that leave model, temperature or max tokens unset. A null temperature or maxTokens is not
 * sent at all (the provider's own default applies), except where the API requires it (Anthropic's max_tokens).
 * {@code toString} masks the key.
 */
public record ProviderConfig(String baseUrl, String apiKey, String defaultModel, Double temperature, Integer maxTokens,
                             Duration timeout) {
    public ProviderConfig {
        Objects.requireNonNull(defaultModel, "defaultModel");
        Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The configuration for {@code model} at {@code baseUrl} (null: the provider's public endpoint) with the request
     * defaults from {@code settings}. A key is required only for the public endpoint: proxies and local servers
     * may not need one.
     */
    public static ProviderConfig of(String provider, String model, String baseUrl, String apiKey, String keyVariable,
                                    Settings.Llm settings) {
        if ((apiKey == null || apiKey.isBlank()) && baseUrl == null) {
            throw new ConfigError("No API key for " + provider + ": set " + keyVariable
                    + " (or SIGIL_LLM__" + keyVariable + ")",
                    "Run offline with --model test, or use a local model with --model ollama:<model>.",
                    Map.of("provider", provider, "variable", keyVariable), false, null);
        }
        return new ProviderConfig(baseUrl, apiKey == null || apiKey.isBlank() ? null : apiKey, model,
                settings.temperature(), settings.maxTokens(), settings.timeout());
    }

    /** A configuration built fluently; temperature and max tokens unset (not sent), a 60-second timeout. */
    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private String baseUrl;
        private String apiKey;
        private String model;
        private Double temperature;
        private Integer maxTokens;
        private Duration timeout = Settings.Llm.DEFAULTS.timeout();

        private Builder() { }

        /** The endpoint; unset: the provider's public one. */
        public Builder baseUrl(String url) { this.baseUrl = url; return this; }

        /** The key; unset for keyless local servers. */
        public Builder apiKey(String key) { this.apiKey = key; return this; }

        /** The model requests use when they name none (required). */
        public Builder model(String model) { this.model = model; return this; }

        public Builder temperature(Double t) { this.temperature = t; return this; }

        public Builder maxTokens(Integer tokens) { this.maxTokens = tokens; return this; }

        public Builder timeout(Duration timeout) { this.timeout = timeout; return this; }

        public ProviderConfig build() {
            if (model == null || model.isBlank()) {
                throw new ConfigError("No model set on the provider configuration",
                        "Call .model(\"<model name>\") on the builder, e.g. .model(\"gpt-4o-mini\").");
            }
            return new ProviderConfig(baseUrl, apiKey == null || apiKey.isBlank() ? null : apiKey, model, temperature,
                    maxTokens, timeout);
        }
    }

    /** {@code preferred} unless it is null or blank, else {@code fallback}. */
    public static String firstNonBlank(String preferred, String fallback) {
        return preferred != null && !preferred.isBlank() ? preferred : fallback;
    }

    @Override
    public String toString() {
        return "ProviderConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", defaultModel=" + defaultModel + ", temperature=" + temperature + ", maxTokens=" + maxTokens
                + ", timeout=" + timeout + "]";
    }
}
