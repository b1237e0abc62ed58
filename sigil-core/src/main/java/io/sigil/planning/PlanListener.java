package io.sigil.planning;

/** Progress of a plan run as it happens (the CLI ticks steps off; the WebSocket API streams them). */
public interface PlanListener {
    default void stepStarted(PlanStep step, int attempt) { }

    default void stepFinished(PlanStep step, StepResult result) { }

    default void replanned(Plan from, Plan to, String reason) { }

    PlanListener NONE = new PlanListener() { };
}
