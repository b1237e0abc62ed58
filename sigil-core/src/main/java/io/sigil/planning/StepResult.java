package io.sigil.planning;

import io.sigil.llm.Usage;

import java.time.Duration;

/** How a step ended: its status, output (for dependents and the final answer), tokens, attempts, error. */
public record StepResult(String stepId, StepStatus status, String output, Usage usage, int attempts, String error,
                         Duration duration) {
    public StepResult {
        output = output == null ? "" : output;
        usage = usage == null ? Usage.ZERO : usage;
        duration = duration == null ? Duration.ZERO : duration;
    }

    public static StepResult skipped(String stepId, String why) {
        return new StepResult(stepId, StepStatus.SKIPPED, "", Usage.ZERO, 0, why, Duration.ZERO);
    }

    public boolean completed() { return status == StepStatus.COMPLETED; }
}
