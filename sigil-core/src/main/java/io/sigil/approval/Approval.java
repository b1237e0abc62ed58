package io.sigil.approval;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One tool call that waits for (or had) a human decision, as the session's events tell it. The one wire form is
 * {@link #toJson()} (REST, WebSocket, CLI).
 *
 * @param runId    the paused run's request id
 * @param owner    the session's owner (subject); null for a session of the local administrator
 * @param decision null while pending or once expired
 */
public record Approval(String runId, String sessionId, String callId, String agent, String tool, String toolSource,
                       Map<String, Object> arguments, String reason, ApprovalStatus status, Instant requestedAt,
                       Instant expiresAt, String owner, Decision decision) {

    /** Who decided what, when; {@code arguments} are the ones the call ran with (approve only, else null). */
    public record Decision(String by, Instant at, String reason, Map<String, Object> arguments) { }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", runId);
        m.put("session_id", sessionId);
        m.put("call_id", callId);
        m.put("agent", agent);
        m.put("tool", tool);
        m.put("tool_source", toolSource);
        m.put("arguments", arguments);
        m.put("reason", reason);
        m.put("status", status.wireName());
        m.put("requested_at", requestedAt == null ? null : requestedAt.toString());
        m.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        m.put("owner", owner);
        if (decision == null) {
            m.put("decision", null);
        } else {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("by", decision.by());
            d.put("at", decision.at() == null ? null : decision.at().toString());
            d.put("reason", decision.reason());
            if (decision.arguments() != null) d.put("arguments", decision.arguments());
            m.put("decision", d);
        }
        return m;
    }
}
