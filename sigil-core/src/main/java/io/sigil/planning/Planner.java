package io.sigil.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.PlanExecutionError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.OutputSchema;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.Usage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Decomposes a goal into a step DAG with the model's structured output, validates it, and caches it.
 * An invalid answer gets one repair round with every problem listed; a second invalid answer is an error.
 */
public final class Planner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYSTEM = """
            You are the planner of an agent platform. Break the user's goal into a small directed acyclic graph
            of steps. Use as few steps as the goal needs (one step is fine for simple goals). Steps without
            dependencies run in parallel. Step types: reasoning (think and write), tool_call (call one of the
            listed tools with arguments), memory_query (recall what is known), conditional (decide a question),
            parallel_group (a grouping point). Only use tools from the list. Answer with JSON only.""";

    private final ChatModel model;
    private final PlanCache cache;
    private final Clock clock;
    private final int maxSteps;
    private final List<String> strategies;

    /** The result of planning: the plan, whether it came from the cache, and the tokens the model used. */
    public record Outcome(Plan plan, boolean cached, Usage usage, int modelCalls) { }

    public Planner(ChatModel model, PlanCache cache, Clock clock, int maxSteps, List<String> strategies) {
        this.model = model;
        this.cache = cache;
        this.clock = clock;
        this.maxSteps = maxSteps;
        this.strategies = List.copyOf(strategies);
    }

    /**
     * Plans {@code goal} using only {@code tools}. {@code context} (memories, agent instructions) informs the
     * plan and is part of the cache key. {@code requestTemplate} adds model, metadata and limits to each call.
     */
    public Outcome plan(String goal, List<ToolSpec> tools, String context,
                        Function<ChatRequest.Builder, ChatRequest.Builder> requestTemplate) {
        if (goal == null || goal.isBlank()) {
            throw new PlanExecutionError("Cannot plan an empty goal", "Describe what the agent should achieve.");
        }
        List<String> toolNames = tools.stream().map(ToolSpec::name).toList();
        String key = PlanCache.key(goal, toolNames, context);
        var hit = cache.get(key);
        if (hit.isPresent()) return new Outcome(hit.get(), true, Usage.ZERO, 0);

        PlanValidator validator = new PlanValidator(maxSteps, new HashSet<>(toolNames));
        OutputSchema schema = new OutputSchema("plan", PlanJson.outputSchema(maxSteps, strategies));
        String prompt = userPrompt(goal, tools, context);
        Usage usage = Usage.ZERO;
        List<String> problems = List.of();
        for (int call = 1; call <= 2; call++) {
            ChatRequest.Builder b = ChatRequest.builder().system(SYSTEM).outputSchema(schema).temperature(0.2)
                    .user(call == 1 ? prompt : prompt + repairNote(problems));
            ChatResponse response = model.chat(requestTemplate.apply(b).build());
            usage = usage.plus(response.usage());
            List<String> found = new ArrayList<>();
            List<PlanStep> steps = parse(response.text(), found);
            if (found.isEmpty()) found.addAll(validator.problems(steps));
            if (found.isEmpty()) {
                Plan plan = new Plan(UUID.randomUUID().toString(), goal, steps, clock.instant());
                cache.put(key, plan);
                return new Outcome(plan, false, usage, call);
            }
            problems = found;
        }
        throw new PlanExecutionError("The model produced no valid plan after a repair attempt: "
                + String.join("; ", problems), "Simplify the goal, allow the tools it needs, or use another model.",
                Map.of("problems", problems), true, null);
    }

    private static String userPrompt(String goal, List<ToolSpec> tools, String context) {
        StringBuilder sb = new StringBuilder("Goal: ").append(goal).append("\n\nAvailable tools:");
        if (tools.isEmpty()) sb.append(" none (do not use tool_call steps)");
        for (ToolSpec t : tools) sb.append("\n- ").append(t.name()).append(": ").append(t.description());
        if (context != null && !context.isBlank()) sb.append("\n\nContext:\n").append(context);
        return sb.toString();
    }

    private static String repairNote(List<String> problems) {
        return "\n\nYour previous plan was invalid. Fix every problem:\n- " + String.join("\n- ", problems);
    }

    private static List<PlanStep> parse(String text, List<String> problems) {
        String json = jsonObjectIn(text);
        if (json == null) {
            problems.add("the answer contained no JSON object");
            return List.of();
        }
        try {
            JsonNode node = JSON.readTree(json);
            return PlanJson.stepsFromJson(node.path("steps"), problems);
        } catch (JsonProcessingException e) {
            problems.add("the answer was not valid JSON: " + e.getOriginalMessage());
            return List.of();
        }
    }

    /** The outermost {...} of a text, tolerating code fences and prose around it. */
    static String jsonObjectIn(String text) {
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        return start >= 0 && end > start ? text.substring(start, end + 1) : null;
    }
}
