package io.sigil.sessions;

import io.sigil.events.Payloads;

import java.util.List;

/** A session's current plan as replay rebuilt it: its steps, the ids of those completed, and its final status once done. */
public record Plan(String planId, String goal, List<Payloads.PlanStep> steps, List<String> completedSteps, String status) {
    public Plan {
        steps = List.copyOf(steps);
        completedSteps = List.copyOf(completedSteps);
    }
}
