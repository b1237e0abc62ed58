package io.sigil.orchestrator;

import io.sigil.llm.ToolCall;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanStep;
import io.sigil.planning.StepResult;
import io.sigil.routing.RouteDecision;
import io.sigil.tools.ToolResult;

/**
 * Progress of one request as it happens: the CLI prints it live and the WebSocket API streams it. Called on
 * the threads doing the work (steps run in parallel), so implementations must be thread-safe and quick.
 */
public interface RunListener {
    default void sessionStarted(String sessionId, boolean created) { }

    default void routed(RouteDecision route) { }

    default void memoriesRecalled(int count, String answeredBy) { }

    default void planned(Plan plan, boolean cached) { }

    default void stepStarted(PlanStep step, int attempt) { }

    default void stepFinished(PlanStep step, StepResult result) { }

    default void strategySelected(String strategy, String reason) { }

    /** Model output as it is generated (every model call of the request, not only the final answer). */
    default void token(String delta) { }

    /** A tool call the model (or a plan's tool step) made, before it runs. */
    default void toolCalled(ToolCall call) { }

    /** What the call returned, as the model gets it (size-capped; an error result when it failed). */
    default void toolReturned(ToolResult result) { }

    default void contractChecked(RunResponse.ContractSummary summary) { }

    default void warning(String message) { }

    /** The run paused: a tool call waits for a human decision (announced once its request is durable). */
    default void approvalRequested(io.sigil.approval.Approval approval) { }

    default void completed(RunResponse response) { }

    RunListener NONE = new RunListener() { };
}
