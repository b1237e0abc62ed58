package io.sigil.config;

import java.time.Duration;

/** {@link Settings.Llm} built fluently: from its defaults ({@link Settings.Llm#builder()}) or from other settings. */
public final class LlmSettingsBuilder {
    private String provider;
    private String model;
    private Double temperature;
    private Integer maxTokens;
    private Duration timeout;
    private int maxRetries;
    private String baseUrl;
    private String anthropicApiKey;
    private String openaiApiKey;
    private String anthropicBaseUrl;
    private String openaiBaseUrl;

    LlmSettingsBuilder(Settings.Llm from) {
        provider = from.provider();
        model = from.model();
        temperature = from.temperature();
        maxTokens = from.maxTokens();
        timeout = from.timeout();
        maxRetries = from.maxRetries();
        baseUrl = from.baseUrl();
        anthropicApiKey = from.anthropicApiKey();
        openaiApiKey = from.openaiApiKey();
        anthropicBaseUrl = from.anthropicBaseUrl();
        openaiBaseUrl = from.openaiBaseUrl();
    }

    /** The provider of model strings without a prefix. */
    public LlmSettingsBuilder provider(String p) { this.provider = p; return this; }

    /** The default model, e.g. {@code openai:gpt-4o-mini}. */
    public LlmSettingsBuilder model(String m) { this.model = m; return this; }

    public LlmSettingsBuilder temperature(Double t) { this.temperature = t; return this; }

    public LlmSettingsBuilder maxTokens(Integer tokens) { this.maxTokens = tokens; return this; }

    /** How long one model call may take. */
    public LlmSettingsBuilder timeout(Duration t) { this.timeout = t; return this; }

    /** Retries of transient failures per call. */
    public LlmSettingsBuilder maxRetries(int retries) { this.maxRetries = retries; return this; }

    /** The endpoint of whichever provider is chosen; wins over the provider-specific ones. */
    public LlmSettingsBuilder baseUrl(String url) { this.baseUrl = url; return this; }

    public LlmSettingsBuilder anthropicApiKey(String key) { this.anthropicApiKey = key; return this; }

    public LlmSettingsBuilder openaiApiKey(String key) { this.openaiApiKey = key; return this; }

    public LlmSettingsBuilder anthropicBaseUrl(String url) { this.anthropicBaseUrl = url; return this; }

    public LlmSettingsBuilder openaiBaseUrl(String url) { this.openaiBaseUrl = url; return this; }

    public Settings.Llm build() {
        return new Settings.Llm(provider, model, temperature, maxTokens, timeout, maxRetries, baseUrl, anthropicApiKey,
                openaiApiKey, anthropicBaseUrl, openaiBaseUrl);
    }
}
