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
 * @param sideEffectTools the tools of {@code tools} the agent may call although they change the world (send,
 *                     call, create, update): a tool with side effects that is not listed here is withheld
 * @param approval     per tool name ({@code "*"}: all its tools), whether a call needs a human decision first;
 *                     overrides the tool's own policy and the deployment's (see io.sigil.approval)
 */
public record AgentDefinition(String name, String description, String systemPrompt, String model,
                              List<String> tools, String contractName, boolean memoryEnabled,
                              boolean planningEnabled, String strategy, Map<String, Object> metadata,
                              List<String> sideEffectTools,
                              Map<String, io.sigil.approval.ApprovalPolicy> approval) {
    public AgentDefinition {
        approval = approval == null ? Map.of() : Map.copyOf(approval);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        tools = List.copyOf(tools);
        metadata = Map.copyOf(metadata);
        sideEffectTools = List.copyOf(sideEffectTools);
    }

    /** A definition without approval overrides. */
    public AgentDefinition(String name, String description, String systemPrompt, String model, List<String> tools,
                           String contractName, boolean memoryEnabled, boolean planningEnabled, String strategy,
                           Map<String, Object> metadata, List<String> sideEffectTools) {
        this(name, description, systemPrompt, model, tools, contractName, memoryEnabled, planningEnabled, strategy,
                metadata, sideEffectTools, Map.of());
    }

    /** A definition that allows no tool with side effects. */
    public AgentDefinition(String name, String description, String systemPrompt, String model, List<String> tools,
                           String contractName, boolean memoryEnabled, boolean planningEnabled, String strategy,
                           Map<String, Object> metadata) {
        this(name, description, systemPrompt, model, tools, contractName, memoryEnabled, planningEnabled, strategy,
                metadata, List.of());
    }
}
