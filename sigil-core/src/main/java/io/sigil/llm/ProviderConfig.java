package io.sigil.llm;

import java.time.Duration;
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

    @Override
    public String toString() {
        return "ProviderConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "***")
                + ", defaultModel=" + defaultModel + ", temperature=" + temperature + ", maxTokens=" + maxTokens
                + ", timeout=" + timeout + "]";
    }
}
