package io.sigil.approval;

import io.sigil.llm.ToolCall;

import java.util.Map;

/**
 * What a decided approval hands the orchestrator to go on with the paused run, all of it from the events: the
 * original request (message, agent, model, contract, owner), the strategy's checkpoint, and the decided call.
 *
 * @param call     the call as it is to run: with the approved (possibly edited) arguments; as requested when denied
 * @param approved false: the model gets the denial (with {@code reason}) as the call's result
 */
public record ApprovalResume(String sessionId, String runId, String agent, String message, String model,
                             String contract, String owner, String userId, ToolCall call, boolean approved,
                             String reason, String decidedBy, Map<String, Object> checkpoint) {

    /** The result text a denied call gives the model. */
    public String denialText() {
        return "A human denied this call of " + call.name() + (reason == null ? "." : ": " + reason)
                + " Do not retry it; go on without it or explain what you could not do.";
    }
}
