package io.sigil.planning;

import io.sigil.llm.Usage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** How a plan run ended, with every step's result (in plan order) and whether a replan happened. */
public record PlanOutcome(Plan plan, PlanStatus status, Map<String, StepResult> results, Usage usage,
                          List<String> errors, Duration duration, boolean replanned) {
    public PlanOutcome {
        results = Map.copyOf(results);
        errors = List.copyOf(errors);
    }

    public boolean success() { return status == PlanStatus.COMPLETED; }

    /** Outputs of the plan's sink steps (no dependents), joined: the plan's answer. */
    public String finalOutput() {
        var sinks = plan.steps().stream()
                .filter(s -> plan.steps().stream().noneMatch(o -> o.dependencies().contains(s.stepId())))
                .map(s -> results.get(s.stepId()))
                .filter(r -> r != null && r.completed() && !r.output().isBlank())
                .map(StepResult::output).toList();
        return String.join("\n\n", sinks);
    }
}
