package io.sigil.sessions;

import java.time.Instant;

/** One row of {@code sigil sessions list}. */
public record SessionSummary(String id, SessionStatus status, String agentId, String owner, long events, TokenUsage tokens,
                             Instant startedAt, Instant lastEventAt, Instant endedAt, RunState lastRun) {

    static SessionSummary of(Session s) {
        return new SessionSummary(s.id(), s.status(), s.agentId(), s.owner(), s.version(), s.tokens(), s.startedAt(),
                s.lastEventAt(), s.endedAt(), s.lastRun());
    }
}
