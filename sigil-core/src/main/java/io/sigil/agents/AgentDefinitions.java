package io.sigil.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sigil.errors.AgentError;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads, validates and writes agent definitions (YAML or JSON). Every problem of a definition is reported at
 * once, each with the field it concerns, so a user fixes a file in one pass.
 */
public final class AgentDefinitions {
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Pattern TOOL = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");
    private static final Pattern CONTRACT = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]{0,63}$");
    private static final Pattern MODEL = Pattern.compile("^(test|[a-z][a-z0-9_-]*:\\S+)$");
    static final Set<String> FIELDS = Set.of("name", "description", "system_prompt", "model", "tools",
            "contract_name", "memory_enabled", "planning_enabled", "strategy", "metadata", "side_effect_tools",
            "approval");
    private static final int MAX_PROMPT_CHARS = 100_000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> strategies;

    /** @param strategies the reasoning strategy names an agent may force */
    public AgentDefinitions(Set<String> strategies) {
        this.strategies = Set.copyOf(strategies);
    }

    /** Parses YAML (a superset of JSON) from {@code source}, described by {@code origin} in errors. */
    public AgentDefinition parse(String source, String origin) {
        JsonNode node;
        try {
            node = YAML.readTree(source);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new AgentError("Agent definition " + origin + " is not valid YAML/JSON"
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")")
                    + ": " + e.getOriginalMessage(), "Fix the syntax; see docs/agents.md for the format.");
        }
        if (node == null || !node.isObject()) {
            throw new AgentError("Agent definition " + origin + " must be a mapping of fields (name, description, "
                    + "system_prompt, ...)", "See docs/agents.md for the format.");
        }
        return fromTree(node, origin);
    }

    /** Validates a parsed tree; {@link AgentError} lists every problem with its field. */
    public AgentDefinition fromTree(JsonNode node, String origin) {
        List<String> problems = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                problems.add("unknown field '" + f + "' (known: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String name = text(node, "name", true, problems);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.add("name: '" + name + "' must be snake_case: a lower-case letter, then letters, digits or _ (max 64)");
        }
        String description = text(node, "description", true, problems);
        String prompt = text(node, "system_prompt", true, problems);
        if (prompt != null && prompt.length() > MAX_PROMPT_CHARS) {
            problems.add("system_prompt: " + prompt.length() + " characters; at most " + MAX_PROMPT_CHARS);
        }
        String model = text(node, "model", false, problems);
        if (model != null && !MODEL.matcher(model).matches()) {
            problems.add("model: '" + model + "' must be 'test' or 'provider:model' (e.g. anthropic:claude-sonnet-4-20250514)");
        }
        List<String> tools = new ArrayList<>();
        JsonNode toolsNode = node.path("tools");
        if (toolsNode.isArray()) {
            Set<String> seen = new HashSet<>();
            for (JsonNode t : toolsNode) {
                if (!t.isTextual() || !TOOL.matcher(t.asText()).matches()) {
                    problems.add("tools: '" + t.asText() + "' is not a tool name (snake_case)");
                } else if (!seen.add(t.asText())) {
                    problems.add("tools: '" + t.asText() + "' is listed twice");
                } else {
                    tools.add(t.asText());
                }
            }
        } else if (!toolsNode.isMissingNode() && !toolsNode.isNull()) {
            problems.add("tools: must be a list of tool names");
        }
        List<String> sideEffectTools = new ArrayList<>();
        JsonNode sideNode = node.path("side_effect_tools");
        if (sideNode.isArray()) {
            for (JsonNode t : sideNode) {
                if (!t.isTextual() || !tools.contains(t.asText())) {
                    problems.add("side_effect_tools: '" + t.asText() + "' is not one of the agent's tools; list it under"
                            + " tools too");
                } else if (!sideEffectTools.contains(t.asText())) {
                    sideEffectTools.add(t.asText());
                }
            }
        } else if (!sideNode.isMissingNode() && !sideNode.isNull()) {
            problems.add("side_effect_tools: must be a list of tool names");
        }
        Map<String, io.sigil.approval.ApprovalPolicy> approval = new LinkedHashMap<>();
        JsonNode approvalNode = node.path("approval");
        if (approvalNode.isObject()) {
            for (var it = approvalNode.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getKey().equals("*") && !tools.contains(e.getKey())) {
                    problems.add("approval: '" + e.getKey() + "' is not one of the agent's tools (or * for all of them)");
                    continue;
                }
                try {
                    approval.put(e.getKey(), io.sigil.approval.ApprovalPolicy.parse(e.getValue().asText(),
                            "approval." + e.getKey()));
                } catch (io.sigil.errors.InvalidInputError bad) {
                    problems.add(bad.getMessage() + " (use always, side_effects or never)");
                }
            }
        } else if (!approvalNode.isMissingNode() && !approvalNode.isNull()) {
            problems.add("approval: must be a mapping of tool name (or *) to always, side_effects or never");
        }
        String contract = text(node, "contract_name", false, problems);
        if (contract != null && !CONTRACT.matcher(contract).matches()) {
            problems.add("contract_name: '" + contract + "' is not a valid contract name");
        }
        boolean memory = bool(node, "memory_enabled", true, problems);
        boolean planning = bool(node, "planning_enabled", false, problems);
        String strategy = text(node, "strategy", false, problems);
        if (strategy != null && !strategies.contains(strategy)) {
            problems.add("strategy: '" + strategy + "' is not one of " + strategies.stream().sorted().toList());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        JsonNode meta = node.path("metadata");
        if (meta.isObject()) metadata.putAll(JSON.convertValue(meta, Map.class));
        else if (!meta.isMissingNode() && !meta.isNull()) problems.add("metadata: must be a mapping");

        if (!problems.isEmpty()) {
            throw new AgentError("Agent definition " + origin + " is invalid: " + String.join("; ", problems),
                    "Fix the listed fields; see docs/agents.md for the format.",
                    Map.of("problems", problems, "origin", origin), false, null);
        }
        return new AgentDefinition(name, description, prompt, model, tools, contract, memory, planning, strategy,
                metadata, sideEffectTools, approval);
    }

    /** The definition as a tree with the file field names, for YAML/JSON output. */
    public static ObjectNode toTree(AgentDefinition d) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", d.name());
        n.put("description", d.description());
        n.put("system_prompt", d.systemPrompt());
        if (d.model() != null) n.put("model", d.model());
        var tools = n.putArray("tools");
        d.tools().forEach(tools::add);
        if (!d.sideEffectTools().isEmpty()) {
            var sideEffects = n.putArray("side_effect_tools");
            d.sideEffectTools().forEach(sideEffects::add);
        }
        if (!d.approval().isEmpty()) {
            var approval = n.putObject("approval");
            new java.util.TreeMap<>(d.approval()).forEach((tool, policy) -> approval.put(tool, policy.wireName()));
        }
        if (d.contractName() != null) n.put("contract_name", d.contractName());
        n.put("memory_enabled", d.memoryEnabled());
        n.put("planning_enabled", d.planningEnabled());
        if (d.strategy() != null) n.put("strategy", d.strategy());
        n.set("metadata", JSON.valueToTree(d.metadata()));
        return n;
    }

    public static String toYaml(AgentDefinition d) {
        try {
            return YAML.writeValueAsString(toTree(d));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an agent definition always serialises", e);
        }
    }

    private static String text(JsonNode node, String field, boolean required, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) problems.add(field + ": is required");
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + ": must be text, got " + v.getNodeType().name().toLowerCase());
            return null;
        }
        if (required && v.asText().isBlank()) {
            problems.add(field + ": must not be empty");
            return null;
        }
        return v.asText().isBlank() ? null : v.asText().strip();
    }

    private static boolean bool(JsonNode node, String field, boolean dflt, List<String> problems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) {
            problems.add(field + ": must be true or false, got '" + v.asText() + "'");
            return dflt;
        }
        return v.asBoolean();
    }
}
