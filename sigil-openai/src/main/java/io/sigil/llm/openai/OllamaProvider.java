package io.sigil.llm.openai;

import io.sigil.config.Settings;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatModelProvider;
import io.sigil.llm.ProviderConfig;

/** {@code ollama:<model>}: the OpenAI provider at {@code baseUrl} or {@code http://localhost:11434/v1}, no key. */
public final class OllamaProvider implements ChatModelProvider {
    public static final String NAME = "ollama";
    public static final String DEFAULT_BASE_URL = "http://localhost:11434/v1";

    @Override
    public String name() { return NAME; }

    @Override
    public ChatModel create(String model, Settings.Llm settings) {
        return OpenAiChatModel.builder().baseUrl(ProviderConfig.firstNonBlank(settings.baseUrl(), DEFAULT_BASE_URL))
                .model(model).temperature(settings.temperature()).maxTokens(settings.maxTokens())
                .timeout(settings.timeout()).provider(NAME).legacyMaxTokens(true).build();
    }
}
