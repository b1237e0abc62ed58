package io.sigil.approval;

import io.sigil.events.EventType;
import io.sigil.events.Payloads;
import io.sigil.events.RecordedEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approvals of one session, replayed from its events: each {@code approval.requested} with what became of it
 * ({@code approval.granted}, {@code .denied}, {@code .expired}). A pending approval whose {@code expires_at} has
 * passed reads as expired even before the sweep records it. Also keeps the request's payload: what a resume needs.
 *
 * @param version the session's version when replayed (decisions append expecting exactly it)
 * @param open    nothing recorded after the request yet (no decision, no expiry), whether or not its time is up
 */
record ApprovalRecord(Approval approval, Map<String, Object> requested, long version, boolean open) {

    static List<ApprovalRecord> replay(String sessionId, List<RecordedEvent> events, Instant now) {
        if (events.isEmpty()) return List.of();
        String owner = null;
        RecordedEvent first = events.getFirst();
        if (first.eventType().equals(EventType.SESSION_STARTED.wireName())) {
            owner = Payloads.SessionStarted.from(first.event().payload()).owner();
        }
        long version = events.getLast().version();
        Map<String, Approval> byKey = new LinkedHashMap<>();
        Map<String, Map<String, Object>> requests = new LinkedHashMap<>();
        for (RecordedEvent e : events) {
            Map<String, Object> p = e.event().payload();
            String type = e.eventType();
            if (!type.startsWith("approval.")) continue;
            String key = p.get("run_id") + "\u0000" + p.get("call_id");
            if (type.equals(EventType.APPROVAL_REQUESTED.wireName())) {
                requests.put(key, p);
                byKey.put(key, new Approval(str(p, "run_id"), sessionId, str(p, "call_id"), str(p, "agent"),
                        str(p, "tool"), str(p, "tool_source"), map(p.get("arguments")), str(p, "reason"),
                        ApprovalStatus.PENDING, e.event().timestamp(), instant(str(p, "expires_at")), owner, null));
                continue;
            }
            Approval a = byKey.get(key);
            if (a == null || a.status() != ApprovalStatus.PENDING) continue; // a decision without its request: ignored
            ApprovalStatus status = type.equals(EventType.APPROVAL_GRANTED.wireName()) ? ApprovalStatus.APPROVED
                    : type.equals(EventType.APPROVAL_DENIED.wireName()) ? ApprovalStatus.DENIED
                    : type.equals(EventType.APPROVAL_EXPIRED.wireName()) ? ApprovalStatus.EXPIRED : null;
            if (status == null) continue;
            Approval.Decision d = status == ApprovalStatus.EXPIRED ? null : new Approval.Decision(str(p, "by"),
                    e.event().timestamp(), str(p, "reason"),
                    status == ApprovalStatus.APPROVED ? map(p.get("arguments")) : null);
            byKey.put(key, new Approval(a.runId(), a.sessionId(), a.callId(), a.agent(), a.tool(), a.toolSource(),
                    a.arguments(), a.reason(), status, a.requestedAt(), a.expiresAt(), a.owner(), d));
        }
        List<ApprovalRecord> out = new ArrayList<>();
        byKey.forEach((key, a) -> {
            Approval shown = a.status() == ApprovalStatus.PENDING && a.expiresAt() != null && !now.isBefore(a.expiresAt())
                    ? new Approval(a.runId(), a.sessionId(), a.callId(), a.agent(), a.tool(), a.toolSource(), a.arguments(),
                    a.reason(), ApprovalStatus.EXPIRED, a.requestedAt(), a.expiresAt(), a.owner(), null) : a;
            out.add(new ApprovalRecord(shown, requests.get(key), version, a.status() == ApprovalStatus.PENDING));
        });
        return out;
    }

    private static String str(Map<String, Object> p, String k) {
        Object v = p.get(k);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
