package io.sigil.llm.openai;

import io.sigil.config.Settings;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatModelProvider;
import io.sigil.llm.ProviderConfig;

/**
 * {@code openai:<model>}. Base URL: {@code baseUrl} ({@code SIGIL_LLM__BASE_URL}), else {@code OPENAI_BASE_URL}, else
 * the public endpoint (which needs {@code OPENAI_API_KEY}).
 */
public final class OpenAiProvider implements ChatModelProvider {
    @Override
    public String name() { return OpenAiChatModel.PROVIDER; }

    @Override
    public ChatModel create(String model, Settings.Llm settings) {
        String baseUrl = ProviderConfig.firstNonBlank(settings.baseUrl(), settings.openaiBaseUrl());
        // Compatible servers (vLLM, LM Studio, llama.cpp) understand max_tokens more widely.
        return new OpenAiChatModel(ProviderConfig.of(name(), model, baseUrl, settings.openaiApiKey(),
                OpenAiChatModel.KEY_VARIABLE, settings), OpenAiChatModel.PROVIDER, baseUrl != null);
    }
}
