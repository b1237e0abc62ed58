package io.sigil.planning;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A validated step DAG for one goal (sigil-design.md section 7). Immutable; see {@link PlanValidator}. */
public record Plan(String planId, String goal, List<PlanStep> steps, Instant createdAt) {
    public Plan {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(goal, "goal");
        steps = List.copyOf(steps);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Optional<PlanStep> step(String stepId) {
        return steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst();
    }
}
