package io.sigil.sessions;

import io.sigil.events.Payloads;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A session as its events rebuild it (sigil-design.md section 4). Immutable: {@link SessionProjection} builds
 * one by replay. {@code currentPlan} is null before any plan.created. {@code owner} is the subject that may see
 * and continue it (null: administrators only). {@code openRequestId} is the request of an {@link RunState#OPEN} run.
 */
public record Session(String id, SessionStatus status, String agentId, String userId, String owner, Instant startedAt,
                      Instant endedAt, Instant lastEventAt, long version,
                      List<Payloads.MessageAdded> messages, List<Payloads.ToolCalled> toolCalls, Plan currentPlan,
                      List<Map<String, Object>> memoryItems, List<Payloads.ContractValidation> contractValidations,
                      List<Payloads.ErrorOccurred> errors, TokenUsage tokens, Map<String, Long> eventCounts,
                      RunState lastRun, String openRequestId) {
    public Session {
        messages = List.copyOf(messages);
        toolCalls = List.copyOf(toolCalls);
        memoryItems = List.copyOf(memoryItems);
        contractValidations = List.copyOf(contractValidations);
        errors = List.copyOf(errors);
        eventCounts = Map.copyOf(eventCounts);
    }

    public boolean active() { return status == SessionStatus.ACTIVE; }
}
