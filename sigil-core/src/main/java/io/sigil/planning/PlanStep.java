package io.sigil.planning;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;

/**
 * One node of a plan's DAG: what to do and which steps must complete first. Run state (status, result) is
 * not here: plans are immutable and the executor keeps run state, rebuilt from events after a restart.
 *
 * @param toolName     the tool of a {@link StepType#TOOL_CALL} step, else null
 * @param toolArgs     that tool's arguments object, else null
 * @param strategyHint a reasoning strategy name for reasoning steps, or null to choose by complexity
 */
public record PlanStep(String stepId, String description, StepType type, List<String> dependencies,
                       String toolName, JsonNode toolArgs, String strategyHint) {
    public PlanStep {
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
        dependencies = List.copyOf(dependencies);
    }

    public static PlanStep reasoning(String id, String description, String... dependencies) {
        return new PlanStep(id, description, StepType.REASONING, List.of(dependencies), null, null, null);
    }
}
