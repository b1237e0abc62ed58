package io.sigil.planning;

import io.sigil.llm.Usage;

import java.util.Map;

/**
 * Does the work of one step (a reasoning strategy, a tool call, a memory query). The executor owns
 * scheduling, retries and checkpoints; a runner only runs, and throws when the step failed.
 */
@FunctionalInterface
public interface StepRunner {

    /** What a step produced. */
    record Output(String text, Usage usage) { }

    /** @param inputs results of the step's dependencies, by step id */
    Output run(PlanStep step, Map<String, StepResult> inputs);
}
