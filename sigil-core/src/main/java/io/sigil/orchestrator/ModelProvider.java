package io.sigil.orchestrator;

import io.sigil.llm.ChatModel;

/**
 * Gives the orchestrator the model a model string names (null: the configured one). In production this is
 * {@link io.sigil.llm.ModelResolver#resolve(String)}; a bad string or a missing key throws a ConfigError.
 */
@FunctionalInterface
public interface ModelProvider {
    ChatModel resolve(String modelString);
}
