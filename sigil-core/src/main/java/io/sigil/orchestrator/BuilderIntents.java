package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.agents.AgentBuilder;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.contracts.ContractRegistry;
import io.sigil.errors.AgentError;
import io.sigil.errors.InvalidInputError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.RouteDecision;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The intents that act on Sigil itself rather than answer a question, when no agent is named:
 * create_agent (the model drafts a definition, which is validated and saved), modify_agent (the agent named in
 * the message is changed and saved) and system commands ({@code /help}, {@code /agents}, {@code /status}).
 */
final class BuilderIntents {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Orchestrator o;
    private final ChatModel model;
    private final Map<String, String> metadata;

    BuilderIntents(Orchestrator o, ChatModel model, AgentDefinition ignored, Map<String, String> metadata) {
        this.o = o;
        this.model = model;
        this.metadata = metadata;
    }

    JsonNode handle(RouteDecision route, String message) {
        return switch (route.intent()) {
            case CREATE_AGENT -> create(message);
            case MODIFY_AGENT -> modify(message);
            case SYSTEM_COMMAND -> command(message.strip());
            default -> throw new IllegalArgumentException("not a builder intent: " + route.intent());
        };
    }

    private AgentBuilder builder() {
        var contracts = o.contracts.list().stream().map(ContractRegistry.Entry::name).collect(Collectors.toSet());
        return new AgentBuilder(model, o.definitions, new HashSet<>(o.tools.names()), contracts,
                Arrays.stream(StrategyName.values()).map(StrategyName::wireName).toList());
    }

    private ChatRequest.Builder withMetadata(ChatRequest.Builder b) {
        metadata.forEach(b::metadata);
        return b;
    }

    private JsonNode create(String message) {
        AgentDefinition drafted = builder().create(message, this::withMetadata);
        if (o.agents.find(drafted.name()).isPresent()) {
            throw new AgentError("An agent named '" + drafted.name() + "' already exists",
                    "Ask to modify it instead, or describe the new agent with a different name.");
        }
        o.agents.save(drafted);
        ObjectNode out = NODES.objectNode();
        out.put("action", "created");
        out.set("agent", AgentDefinitions.toTree(drafted));
        return out;
    }

    private JsonNode modify(String message) {
        AgentDefinition target = mentionedAgent(message).orElseThrow(() -> new InvalidInputError(
                "Say which agent to change: no known agent is named in the request",
                "Known agents: " + String.join(", ", o.agents.list().stream().map(AgentDefinition::name).toList())));
        AgentDefinition changed = builder().modify(target, message, this::withMetadata);
        o.agents.save(changed);
        ObjectNode out = NODES.objectNode();
        out.put("action", "modified");
        out.set("before", AgentDefinitions.toTree(target));
        out.set("agent", AgentDefinitions.toTree(changed));
        return out;
    }

    private Optional<AgentDefinition> mentionedAgent(String message) {
        for (AgentDefinition a : o.agents.list()) {
            if (Pattern.compile("\\b" + Pattern.quote(a.name()) + "\\b", Pattern.CASE_INSENSITIVE).matcher(message).find()) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    private JsonNode command(String message) {
        String name = message.split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
        ObjectNode out = NODES.objectNode().put("command", name);
        switch (name) {
            case "/help" -> {
                var list = out.putArray("commands");
                list.add("/help: this list").add("/agents: the agents you can run")
                        .add("/status: features, model and tools of this Sigil");
            }
            case "/agents" -> {
                var list = out.putArray("agents");
                for (AgentDefinition a : o.agents.list()) {
                    list.addObject().put("name", a.name()).put("description", a.description());
                }
            }
            case "/status" -> {
                var f = o.config.features();
                out.putObject("features").put("memory", f.memory()).put("planning", f.planning())
                        .put("contracts", f.contracts()).put("routing", f.routing()).put("evolution", f.evolution());
                out.put("router", o.router.mode());
                var tools = out.putArray("tools");
                o.tools.names().forEach(tools::add);
                out.put("agents", o.agents.list().size());
            }
            default -> throw new InvalidInputError("Unknown command '" + name + "'", "Try /help.");
        }
        return out;
    }

    static List<String> commands() { return List.of("/help", "/agents", "/status"); }
}
