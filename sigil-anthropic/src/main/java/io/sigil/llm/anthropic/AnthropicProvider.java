package io.sigil.llm.anthropic;

import io.sigil.config.Settings;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatModelProvider;
import io.sigil.llm.ProviderConfig;

/**
 * {@code anthropic:<model>}. Base URL: {@code baseUrl} ({@code SIGIL_LLM__BASE_URL}), else {@code ANTHROPIC_BASE_URL},
 * else the public endpoint (which needs {@code ANTHROPIC_API_KEY}).
 */
public final class AnthropicProvider implements ChatModelProvider {
    @Override
    public String name() { return AnthropicChatModel.PROVIDER; }

    @Override
    public ChatModel create(String model, Settings.Llm settings) {
        String baseUrl = ProviderConfig.firstNonBlank(settings.baseUrl(), settings.anthropicBaseUrl());
        return new AnthropicChatModel(ProviderConfig.of(name(), model, baseUrl, settings.anthropicApiKey(),
                AnthropicChatModel.KEY_VARIABLE, settings));
    }
}
