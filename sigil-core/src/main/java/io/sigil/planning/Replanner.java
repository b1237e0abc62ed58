package io.sigil.planning;

import java.util.Map;

/** Makes a new plan for what remains when a step failed for good. Called at most once per run. */
@FunctionalInterface
public interface Replanner {
    /**
     * @param completed results of the steps that did complete; a new plan may reuse their ids to keep them
     * @return the new plan
     */
    Plan replan(Plan failed, StepResult failure, Map<String, StepResult> completed);
}
