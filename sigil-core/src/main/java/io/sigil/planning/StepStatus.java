package io.sigil.planning;

/** Where a step is in its life. Terminal: COMPLETED, FAILED, SKIPPED, FAILED_CONTRACT. */
public enum StepStatus {
    PENDING, RUNNING, COMPLETED, FAILED, SKIPPED, FAILED_CONTRACT;

    public boolean terminal() { return this != PENDING && this != RUNNING; }
}
