package io.sigil.llm;

import io.sigil.config.Settings;

/**
 * A provider module's entry point, found with {@link java.util.ServiceLoader}: it builds the {@link ChatModel} for
 * one provider prefix of a model string ({@code anthropic:}, {@code openai:}, {@code ollama:}). The core knows no
 * provider SDK; {@code sigil-anthropic} and {@code sigil-openai} register theirs in
 * {@code META-INF/services/io.sigil.llm.ChatModelProvider}, so a library user picks providers by picking modules.
 */
public interface ChatModelProvider {
    /** The prefix this provider serves, lower case, e.g. {@code openai}. */
    String name();

    /**
     * The bare provider model (no retries, no breaker: {@link ModelResolver} adds those) for {@code model}, configured
     * from {@code settings}. Throws {@link io.sigil.errors.ConfigError} when the settings cannot serve it (no key).
     */
    ChatModel create(String model, Settings.Llm settings);
}
