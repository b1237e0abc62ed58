package io.sigil.planning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of plans, shared by the planner's structured output, {@code plan.created} events and
 * {@code sigil plan --json}: {@code {"plan_id","goal","created_at","steps":[{"id","description","type",
 * "depends_on","tool","args","strategy"}]}}.
 */
public final class PlanJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PlanJson() { }

    public static ObjectNode toJson(Plan plan) {
        ObjectNode n = NODES.objectNode();
        n.put("plan_id", plan.planId());
        n.put("goal", plan.goal());
        n.put("created_at", plan.createdAt().toString());
        n.set("steps", stepsToJson(plan.steps()));
        return n;
    }

    public static ArrayNode stepsToJson(List<PlanStep> steps) {
        ArrayNode arr = NODES.arrayNode();
        for (PlanStep s : steps) {
            ObjectNode o = arr.addObject();
            o.put("id", s.stepId());
            o.put("description", s.description());
            o.put("type", s.type().wireName());
            ArrayNode deps = o.putArray("depends_on");
            s.dependencies().forEach(deps::add);
            if (s.toolName() != null) o.put("tool", s.toolName());
            if (s.toolArgs() != null) o.set("args", s.toolArgs());
            if (s.strategyHint() != null) o.put("strategy", s.strategyHint());
        }
        return arr;
    }

    public static Plan fromJson(JsonNode n) {
        List<String> problems = new ArrayList<>();
        List<PlanStep> steps = stepsFromJson(n.path("steps"), problems);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        return new Plan(n.path("plan_id").asText(), n.path("goal").asText(), steps,
                Instant.parse(n.path("created_at").asText()));
    }

    /**
     * Steps from the model's JSON; shape problems (missing fields, bad types) are added to {@code problems}
     * and the step is skipped, so one answer yields every problem at once.
     */
    public static List<PlanStep> stepsFromJson(JsonNode stepsNode, List<String> problems) {
        List<PlanStep> steps = new ArrayList<>();
        if (!stepsNode.isArray()) {
            problems.add("'steps' must be an array of step objects");
            return steps;
        }
        int i = 0;
        for (JsonNode s : stepsNode) {
            String where = "steps[" + i++ + "]";
            if (!s.isObject()) {
                problems.add(where + " is not an object");
                continue;
            }
            String id = s.path("id").asText("");
            if (id.isBlank()) {
                problems.add(where + " has no 'id'");
                continue;
            }
            StepType type;
            try {
                type = StepType.fromWireName(s.path("type").asText("reasoning"));
            } catch (IllegalArgumentException e) {
                problems.add(where + " ('" + id + "'): " + e.getMessage());
                continue;
            }
            List<String> deps = new ArrayList<>();
            JsonNode depsNode = s.path("depends_on");
            if (depsNode.isArray()) depsNode.forEach(d -> deps.add(d.asText()));
            else if (!depsNode.isMissingNode() && !depsNode.isNull()) {
                problems.add(where + " ('" + id + "'): 'depends_on' must be an array of step ids");
            }
            String tool = s.hasNonNull("tool") && !s.path("tool").asText().isBlank() ? s.path("tool").asText() : null;
            JsonNode args = s.path("args").isObject() ? s.path("args") : null;
            String strategy = s.hasNonNull("strategy") && !s.path("strategy").asText().isBlank()
                    ? s.path("strategy").asText() : null;
            steps.add(new PlanStep(id, s.path("description").asText(""), type, deps, tool, args, strategy));
        }
        return steps;
    }

    /** The JSON Schema of the planner's structured output, with an example the offline test model can follow. */
    public static ObjectNode outputSchema(int maxSteps, List<String> strategies) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode schema = m.createObjectNode();
        schema.put("type", "object");
        schema.putArray("required").add("steps");
        ObjectNode steps = schema.putObject("properties").putObject("steps");
        steps.put("type", "array");
        steps.put("minItems", 1);
        steps.put("maxItems", maxSteps);
        ObjectNode item = steps.putObject("items");
        item.put("type", "object");
        item.putArray("required").add("id").add("description").add("type").add("depends_on");
        ObjectNode p = item.putObject("properties");
        p.putObject("id").put("type", "string").put("description", "short unique id such as s1");
        p.putObject("description").put("type", "string").put("description", "what this step achieves");
        ArrayNode types = p.putObject("type").putArray("enum");
        for (StepType t : StepType.values()) types.add(t.wireName());
        p.putObject("depends_on").put("type", "array").putObject("items").put("type", "string");
        p.putObject("tool").put("type", "string").put("description", "tool name, only for tool_call steps");
        p.putObject("args").put("type", "object").put("description", "tool arguments, only for tool_call steps");
        ArrayNode strat = p.putObject("strategy").putArray("enum");
        strategies.forEach(strat::add);
        item.put("additionalProperties", false);
        ObjectNode example = m.createObjectNode();
        ArrayNode exSteps = example.putArray("steps");
        exSteps.addObject().put("id", "s1").put("description", "Work out what the goal asks for")
                .put("type", "reasoning").putArray("depends_on");
        ObjectNode s2 = exSteps.addObject().put("id", "s2").put("description", "Produce the answer")
                .put("type", "reasoning");
        s2.putArray("depends_on").add("s1");
        schema.putArray("examples").add(example);
        return schema;
    }
}
