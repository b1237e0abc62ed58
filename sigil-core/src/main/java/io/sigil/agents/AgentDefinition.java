package io.sigil.agents;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent is (sigil-design.md section 12): its instructions, model, tools, and which subsystems it uses.
 * Built only through {@link AgentDefinitions}, which validates it.
 *
 * @param model        a model string such as {@code anthropic:claude-sonnet-4-20250514} or {@code test};
 *                     null means the configured default model
 * @param contractName the contract its output must meet, or null
 * @param strategy     a reasoning strategy to force, or null to choose by complexity
 */
public record AgentDefinition(String name, String description, String systemPrompt, String model,
                              List<String> tools, String contractName, boolean memoryEnabled,
                              boolean planningEnabled, String strategy, Map<String, Object> metadata) {
    public AgentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        tools = List.copyOf(tools);
        metadata = Map.copyOf(metadata);
    }
}
