package io.sigil.approval;

import io.sigil.tools.Tool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which tool calls need a human decision: the tool's own policy ({@link Tool#approval()}), overridden by the
 * deployment ({@code SIGIL_TOOL_APPROVAL}, per tool name), overridden by the agent's {@code approval} map (per tool
 * name, {@code "*"} for all its tools). The most specific setting wins.
 */
public final class ApprovalRules {
    /** No call needs approval (library use without a decision path). */
    public static final ApprovalRules NONE = new ApprovalRules(Map.of("*", ApprovalPolicy.NEVER), Map.of());

    private final Map<String, ApprovalPolicy> deployment;
    private final Map<String, ApprovalPolicy> agent;

    private ApprovalRules(Map<String, ApprovalPolicy> deployment, Map<String, ApprovalPolicy> agent) {
        this.deployment = Map.copyOf(deployment);
        this.agent = Map.copyOf(agent);
    }

    /** The tools' own policies with the deployment's overrides. */
    public static ApprovalRules of(Map<String, ApprovalPolicy> deployment) {
        return new ApprovalRules(deployment, Map.of());
    }

    /** These rules with an agent's overrides on top. */
    public ApprovalRules forAgent(Map<String, ApprovalPolicy> agentOverrides) {
        if (this == NONE) return this;
        return new ApprovalRules(deployment, agentOverrides == null ? Map.of() : agentOverrides);
    }

    /** The policy that applies to {@code tool} and why (for the approval's reason). */
    public Applied policy(Tool tool) {
        String name = tool.name();
        if (agent.containsKey(name)) return new Applied(agent.get(name), "the agent's approval setting for " + name);
        if (agent.containsKey("*")) return new Applied(agent.get("*"), "the agent's approval setting for all its tools");
        if (deployment.containsKey(name)) return new Applied(deployment.get(name), "SIGIL_TOOL_APPROVAL for " + name);
        if (deployment.containsKey("*")) return new Applied(deployment.get("*"), "SIGIL_TOOL_APPROVAL for all tools");
        return new Applied(tool.approval(), "the tool's default");
    }

    /** Why a call of {@code tool} needs approval; empty when it may run at once. */
    public Optional<String> reason(Tool tool) {
        Applied a = policy(tool);
        if (!a.policy().requires(tool.sideEffects())) return Optional.empty();
        return Optional.of(tool.name() + (a.policy() == ApprovalPolicy.ALWAYS ? " always needs approval"
                : " has side effects") + " (approval: " + a.policy().wireName() + ", " + a.source() + ")");
    }

    /** A policy and where it was set. */
    public record Applied(ApprovalPolicy policy, String source) { }

    /**
     * Parses {@code name=policy} pairs separated by commas ({@code send_sms=always,current_time=never}); {@code *}
     * names every tool. Blank is none.
     */
    public static Map<String, ApprovalPolicy> parseOverrides(String text, String where) {
        Map<String, ApprovalPolicy> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) return out;
        for (String pair : text.split(",")) {
            if (pair.isBlank()) continue;
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new io.sigil.errors.InvalidInputError(where + ": '" + pair.strip() + "' is not tool=policy",
                        "write pairs such as send_sms=always,current_time=never");
            }
            out.put(pair.substring(0, eq).strip(), ApprovalPolicy.parse(pair.substring(eq + 1), where + " (" + pair.strip() + ")"));
        }
        return out;
    }
}
