package io.sigil.approval;

import io.sigil.llm.ToolCall;

import java.util.Map;
import java.util.Objects;

/**
 * Thrown by a strategy when a tool call needs a human decision: the run stops there, records
 * {@code approval.requested} with {@code checkpoint} (everything the strategy needs to go on from this call without
 * redoing anything) and ends its turn as {@code awaiting_approval}. Not a failure: strategies and fallbacks let it
 * pass.
 */
public final class ApprovalPending extends RuntimeException {
    private final transient ToolCall call;
    private final String toolSource;
    private final String reason;
    private final transient Map<String, Object> checkpoint;

    public ApprovalPending(ToolCall call, String toolSource, String reason, Map<String, Object> checkpoint) {
        super("tool call " + call.id() + " (" + call.name() + ") needs approval: " + reason, null, false, false);
        this.call = Objects.requireNonNull(call, "call");
        this.toolSource = toolSource;
        this.reason = Objects.requireNonNull(reason, "reason");
        this.checkpoint = Map.copyOf(checkpoint);
    }

    public ToolCall call() { return call; }

    public String toolSource() { return toolSource; }

    public String reason() { return reason; }

    /** The strategy's state at the call, as plain JSON values (stored in the event). */
    public Map<String, Object> checkpoint() { return checkpoint; }
}
