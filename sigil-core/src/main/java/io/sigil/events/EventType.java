package io.sigil.events;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The event types of sigil-design.md section 4, plus {@code llm.called} and {@code session.archived}. The wire name is what is stored;
 * a store keeps events whose type it does not know (written by a newer Sigil) as plain strings.
 */
public enum EventType {
    SESSION_STARTED("session.started"),
    SESSION_ENDED("session.ended"),
    MESSAGE_ADDED("message.added"),
    TOOL_CALLED("tool.called"),
    PLAN_CREATED("plan.created"),
    PLAN_STEP_COMPLETED("plan.step_completed"),
    PLAN_COMPLETED("plan.completed"),
    STEP_STARTED("step.started"),
    STEP_COMPLETED("step.completed"),
    MEMORY_EXTRACTED("memory.extracted"),
    REASONING_STRATEGY_SELECTED("reasoning.strategy_selected"),
    REASONING_COMPLETED("reasoning.completed"),
    REASONING_FALLBACK("reasoning.fallback"),
    CONTRACT_VALIDATION_STARTED("contract.validation_started"),
    CONTRACT_VALIDATED("contract.validated"),
    CONTRACT_VALIDATION_FAILED("contract.validation_failed"),
    CONTRACT_RETRY("contract.retry"),
    CONTRACT_FALLBACK("contract.fallback"),
    CONTRACT_COMPLETED("contract.completed"),
    EVOLUTION_STARTED("evolution.started"),
    EVOLUTION_GENERATION("evolution.generation"),
    EVOLUTION_COMPLETED("evolution.completed"),
    ERROR_OCCURRED("error.occurred"),
    LLM_CALLED("llm.called"),
    /**
     * Written at start-up for a run that a crash or kill cut short (its request's message has no answer):
     * {request_id, reason, interrupted_at}.
     */
    RUN_INTERRUPTED("run.interrupted"),
    /** Written by an administrator after session.ended: the session is kept but hidden from default listings. */
    SESSION_ARCHIVED("session.archived"),
    /**
     * A tool call waits for a human decision; the run ended its turn as awaiting_approval. Carries what is needed to
     * go on from that call (see io.sigil.approval).
     */
    APPROVAL_REQUESTED("approval.requested"),
    APPROVAL_GRANTED("approval.granted"),
    APPROVAL_DENIED("approval.denied"),
    /** The decision did not come before expires_at: the run ended (failed). */
    APPROVAL_EXPIRED("approval.expired");

    private static final Map<String, EventType> BY_WIRE_NAME = new HashMap<>();

    static {
        for (EventType t : values()) BY_WIRE_NAME.put(t.wireName, t);
    }

    private final String wireName;

    EventType(String wireName) { this.wireName = wireName; }

    /** The stored name, e.g. {@code contract.retry}. */
    public String wireName() { return wireName; }

    /** The known type of a stored name; empty for a type this version does not know. */
    public static Optional<EventType> fromWireName(String name) { return Optional.ofNullable(BY_WIRE_NAME.get(name)); }

    @Override
    public String toString() { return wireName; }
}
