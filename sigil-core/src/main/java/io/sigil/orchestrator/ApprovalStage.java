package io.sigil.orchestrator;

import io.sigil.approval.Approval;
import io.sigil.approval.ApprovalPending;
import io.sigil.approval.ApprovalResume;
import io.sigil.approval.ApprovalStatus;
import io.sigil.errors.ReasoningError;
import io.sigil.events.EventType;
import io.sigil.reasoning.ReactCheckpoint;
import io.sigil.reasoning.ReactStrategy;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.StrategyName;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The two ends of a pause for a human decision: recording the held call when a run stops at it, and the reasoning
 * of the run that goes on once it is decided (the decided call's result, then ReAct on from its checkpoint).
 */
final class ApprovalStage {
    private final RunContext run;
    private final RunApprovals approvals;

    ApprovalStage(RunContext run, RunApprovals approvals) {
        this.run = run;
        this.approvals = approvals;
    }

    /**
     * Records the held call: {@code approval.requested} with the strategy's checkpoint and the request (so any process
     * can resume it from the events), and the approval as the response shows it.
     */
    Approval request(ApprovalPending pending, SessionManager.NewSession created) {
        var request = run.request();
        var agent = run.agent();
        Instant now = run.o().clock.instant();
        Instant expires = now.plus(run.o().approvals.expiry());
        String owner = created != null ? request.userId() : run.prepared().session().owner();
        var args = ReactCheckpoint.arguments(pending.call().arguments());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("run_id", run.requestId());
        p.put("call_id", pending.call().id());
        p.put("agent", agent == null ? null : agent.name());
        p.put("tool", pending.call().name());
        p.put("tool_source", pending.toolSource());
        p.put("arguments", args);
        p.put("reason", pending.reason());
        p.put("expires_at", expires.toString());
        p.put("message", request.message());
        p.put("model", request.model());
        p.put("contract", request.contractName());
        p.put("user_id", request.userId());
        p.put("checkpoint", pending.checkpoint());
        p.values().removeIf(Objects::isNull); // payloads hold no nulls
        run.events().emit(EventType.APPROVAL_REQUESTED, p);
        var approval = new Approval(run.requestId(), run.sessionId(), pending.call().id(),
                agent == null ? null : agent.name(), pending.call().name(), pending.toolSource(), args, pending.reason(),
                ApprovalStatus.PENDING, now, expires, owner, null);
        run.notes().metadata.put("approvals", List.of(approval.toJson()));
        return approval;
    }

    /** The reasoning of a resumed run: the decided call's result, then ReAct on from its checkpoint. */
    Draft resumed(ApprovalResume resume) {
        var checkpoint = ReactCheckpoint.fromMap(resume.checkpoint());
        ToolRegistry registry = run.agentTools();
        ToolResult decided = approvals.decidedResult(resume, registry, run.tools(registry), run.events(), run.requestId());
        var react = new ReactStrategy(run.model(), null, run.tools(registry), ReactStrategy.DEFAULT_MAX_ITERATIONS,
                approvals.gate(run.agent(), registry));
        run.listener().strategySelected(StrategyName.REACT.wireName(), "resumed after the decision on " + resume.call().name());
        var result = react.resume(checkpoint, decided, new ReasoningRequest(run.request().message(), null, run.remaining(),
                checkpoint.instructions(), run.metadataForCalls()), run.events());
        var metadata = run.notes().metadata;
        metadata.put("strategy", StrategyName.REACT.wireName());
        metadata.put("resumed_after", Map.of("call_id", resume.call().id(), "decision",
                resume.approved() ? "approved" : "denied", "by", resume.decidedBy()));
        run.requireWithinBudget();
        if (!result.success()) {
            throw new ReasoningError("The resumed run failed: " + result.error(),
                    "The decision is recorded; start a new run to try again.");
        }
        return Draft.answer(result.answer());
    }
}
