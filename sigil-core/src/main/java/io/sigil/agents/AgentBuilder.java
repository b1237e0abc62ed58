package io.sigil.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.AgentError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.OutputSchema;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The create_agent and modify_agent intents: the model drafts (or edits) a definition through structured
 * output, and the draft is validated like any file. An invalid draft gets one repair round with the problems;
 * the caller decides whether to save the result.
 */
public final class AgentBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYSTEM = """
            You design agents for the Sigil platform. An agent has a snake_case name, a one-sentence description,
            a system prompt that tells the model how to behave, a list of tools it may use, optionally a contract
            that its output must meet and a reasoning strategy, and flags for memory and planning.
            Only use tools and contracts from the lists given. Answer with the JSON definition only.""";

    private final ChatModel model;
    private final AgentDefinitions definitions;
    private final Set<String> tools;
    private final Set<String> contracts;
    private final List<String> strategies;

    public AgentBuilder(ChatModel model, AgentDefinitions definitions, Set<String> tools, Set<String> contracts,
                        List<String> strategies) {
        this.model = model;
        this.definitions = definitions;
        this.tools = Set.copyOf(tools);
        this.contracts = Set.copyOf(contracts);
        this.strategies = List.copyOf(strategies);
    }

    /** Drafts a new agent from a plain-language description. */
    public AgentDefinition create(String description, Function<ChatRequest.Builder, ChatRequest.Builder> template) {
        if (description == null || description.isBlank()) {
            throw new AgentError("Describe the agent to create", "e.g. sigil agents create --from \"an agent that ...\"");
        }
        return draft("Create an agent for this description:\n" + description, null, template);
    }

    /** Applies a plain-language change to an existing agent; the name stays the same. */
    public AgentDefinition modify(AgentDefinition existing, String change,
                                  Function<ChatRequest.Builder, ChatRequest.Builder> template) {
        if (change == null || change.isBlank()) throw new AgentError("Describe the change to make", null);
        String prompt = "Here is the current definition:\n" + AgentDefinitions.toTree(existing).toPrettyString()
                + "\n\nApply this change and return the whole updated definition:\n" + change;
        return draft(prompt, existing.name(), template);
    }

    private AgentDefinition draft(String prompt, String keepName,
                                  Function<ChatRequest.Builder, ChatRequest.Builder> template) {
        OutputSchema schema = new OutputSchema("agent_definition", schema());
        String problems = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            String text = attempt == 1 ? prompt
                    : prompt + "\n\nYour previous definition was invalid: " + problems + "\nFix it.";
            ChatResponse r = model.chat(template.apply(ChatRequest.builder().system(SYSTEM).outputSchema(schema)
                    .temperature(0.3).user(text)).build());
            try {
                JsonNode node = parse(r.text());
                if (keepName != null && node instanceof ObjectNode o) o.put("name", keepName);
                AgentDefinition d = definitions.fromTree(node, "drafted by the model");
                List<String> unknownTools = d.tools().stream().filter(t -> !tools.contains(t)).toList();
                if (!unknownTools.isEmpty()) {
                    throw new AgentError("uses unknown tools " + unknownTools + " (available: " + tools + ")", null);
                }
                if (d.contractName() != null && !contracts.contains(d.contractName())) {
                    throw new AgentError("uses unknown contract '" + d.contractName() + "' (available: "
                            + contracts + ")", null);
                }
                return d;
            } catch (AgentError e) {
                problems = e.getMessage();
            }
        }
        throw new AgentError("The model could not draft a valid agent definition: " + problems,
                "Describe the agent more precisely, or write the YAML yourself (docs/agents.md).");
    }

    private static JsonNode parse(String text) {
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end <= start) throw new AgentError("the answer contained no JSON object", null);
        try {
            return JSON.readTree(text.substring(start, end + 1));
        } catch (JsonProcessingException e) {
            throw new AgentError("the answer was not valid JSON: " + e.getOriginalMessage(), null);
        }
    }

    private ObjectNode schema() {
        ObjectNode s = JSON.createObjectNode().put("type", "object");
        s.putArray("required").add("name").add("description").add("system_prompt").add("tools");
        ObjectNode p = s.putObject("properties");
        p.putObject("name").put("type", "string").put("pattern", "^[a-z][a-z0-9_]{0,63}$");
        p.putObject("description").put("type", "string").put("minLength", 1);
        p.putObject("system_prompt").put("type", "string").put("minLength", 1);
        ObjectNode toolItems = p.putObject("tools").put("type", "array").putObject("items").put("type", "string");
        ArrayNode toolEnum = toolItems.putArray("enum");
        tools.stream().sorted().forEach(toolEnum::add);
        if (tools.isEmpty()) toolItems.remove("enum");
        ObjectNode c = p.putObject("contract_name").put("type", "string");
        ArrayNode cEnum = c.putArray("enum");
        contracts.stream().sorted().forEach(cEnum::add);
        if (contracts.isEmpty()) c.remove("enum");
        p.putObject("memory_enabled").put("type", "boolean");
        p.putObject("planning_enabled").put("type", "boolean");
        ArrayNode st = p.putObject("strategy").put("type", "string").putArray("enum");
        strategies.forEach(st::add);
        s.put("additionalProperties", false);
        ObjectNode example = s.putArray("examples").addObject();
        example.put("name", "support_helper").put("description", "Answers customer support questions.")
                .put("system_prompt", "You answer customer support questions politely and precisely.")
                .putArray("tools");
        example.put("memory_enabled", true).put("planning_enabled", false);
        return s;
    }
}
