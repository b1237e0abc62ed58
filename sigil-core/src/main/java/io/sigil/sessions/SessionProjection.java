package io.sigil.sessions;

import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.Payloads;
import io.sigil.events.RecordedEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folds a session's events, in order, into a {@link Session}. Events of types this version does not know are
 * counted and otherwise skipped, so a session written by a newer Sigil still replays.
 */
public final class SessionProjection {
    private final String id;
    private SessionStatus status = SessionStatus.ACTIVE;
    private String agentId;
    private String userId;
    private String owner;
    private Instant startedAt;
    private Instant endedAt;
    private Instant lastEventAt;
    private long version;
    private final List<Payloads.MessageAdded> messages = new ArrayList<>();
    private final List<Payloads.ToolCalled> toolCalls = new ArrayList<>();
    private Payloads.PlanCreated plan;
    private final List<String> completedSteps = new ArrayList<>();
    private String planStatus;
    private final List<Map<String, Object>> memoryItems = new ArrayList<>();
    private final List<Payloads.ContractValidation> validations = new ArrayList<>();
    private final List<Payloads.ErrorOccurred> errors = new ArrayList<>();
    private TokenUsage tokens = TokenUsage.NONE;
    private final Map<String, Long> counts = new TreeMap<>();
    private RunState lastRun = RunState.NONE;
    private String openRequestId;

    public SessionProjection(String sessionId) { this.id = sessionId; }

    /** Replays a whole session. */
    public static Session replay(String sessionId, List<RecordedEvent> events) {
        var p = new SessionProjection(sessionId);
        for (RecordedEvent e : events) p.apply(e);
        return p.session();
    }

    public void apply(RecordedEvent r) {
        Event e = r.event();
        version = r.version();
        if (startedAt == null) startedAt = e.timestamp();
        lastEventAt = e.timestamp();
        if (agentId == null && e.agentId() != null) agentId = e.agentId();
        counts.merge(e.eventType(), 1L, Long::sum);
        Map<String, Object> p = e.payload();
        EventType type = e.knownType().orElse(null);
        if (type == null) return;
        switch (type) {
            case SESSION_STARTED -> {
                var s = Payloads.SessionStarted.from(p);
                if (s.agentId() != null) agentId = s.agentId();
                userId = s.userId();
                owner = s.owner();
                startedAt = e.timestamp();
            }
            case SESSION_ENDED -> {
                if (status == SessionStatus.ACTIVE) status = SessionStatus.ENDED;
                endedAt = e.timestamp();
            }
            case SESSION_ARCHIVED -> status = SessionStatus.ARCHIVED;
            case MESSAGE_ADDED -> {
                var m = Payloads.MessageAdded.from(p);
                messages.add(m);
                if ("user".equals(m.role())) {
                    lastRun = RunState.OPEN;
                    openRequestId = p.get("request_id") == null ? null : p.get("request_id").toString();
                } else if ("assistant".equals(m.role())) {
                    lastRun = RunState.FINISHED;
                    openRequestId = null;
                }
            }
            case APPROVAL_GRANTED, APPROVAL_DENIED -> {
                // The paused run goes on: open again until it records its answer (or a crash marks it interrupted).
                lastRun = RunState.OPEN;
                openRequestId = p.get("run_id") == null ? null : p.get("run_id").toString();
            }
            case RUN_INTERRUPTED -> {
                lastRun = RunState.INTERRUPTED;
                openRequestId = null;
            }
            case TOOL_CALLED -> toolCalls.add(Payloads.ToolCalled.from(p));
            case PLAN_CREATED -> {
                plan = Payloads.PlanCreated.from(p);
                completedSteps.clear();
                planStatus = null;
            }
            case PLAN_STEP_COMPLETED, STEP_COMPLETED -> {
                var s = Payloads.StepCompleted.from(p);
                boolean ofCurrentPlan = plan != null && (s.planId() == null || s.planId().equals(plan.planId()));
                // A step event without a status, or with a successful one, completes the step; failed, skipped and
                // failed_contract steps (the plan executor reports those too) do not.
                boolean completed = s.status() == null
                        || !java.util.Set.of("failed", "skipped", "failed_contract", "pending", "running").contains(s.status());
                if (ofCurrentPlan && completed && s.stepId() != null && !completedSteps.contains(s.stepId())) {
                    completedSteps.add(s.stepId());
                }
            }
            case PLAN_COMPLETED -> {
                String status = Payloads.StepCompleted.from(p).status();
                planStatus = status == null ? "completed" : status;
            }
            case MEMORY_EXTRACTED -> memoryItems.addAll(Payloads.MemoryExtracted.from(p).items());
            case CONTRACT_VALIDATED, CONTRACT_VALIDATION_FAILED ->
                    validations.add(Payloads.ContractValidation.from(e.eventType(), p));
            case ERROR_OCCURRED -> errors.add(Payloads.ErrorOccurred.from(p));
            case LLM_CALLED -> {
                var c = Payloads.LlmCalled.from(p);
                tokens = tokens.plus(c.inputTokens(), c.outputTokens());
            }
            default -> { } // recorded for the audit trail; nothing to rebuild
        }
    }

    public Session session() {
        Plan current = plan == null ? null
                : new Plan(plan.planId(), plan.goal(), plan.steps(), completedSteps, planStatus);
        return new Session(id, status, agentId, userId, owner, startedAt, endedAt, lastEventAt, version, messages, toolCalls,
                current, memoryItems, validations, errors, tokens, counts, lastRun, openRequestId);
    }
}
