package io.sigil.approval;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import io.sigil.errors.StateError;
import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.WrongExpectedVersionError;
import io.sigil.llm.ToolCall;
import io.sigil.reasoning.ReactCheckpoint;
import io.sigil.sessions.Caller;
import io.sigil.tools.ToolRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The approvals of every session, read from the event store (the source of truth, shared by every replica):
 * listing what waits for a caller, deciding, and expiring what waited too long. A decision is appended expecting
 * the session's exact version, so of two replicas deciding the same call at once exactly one wins; the winner
 * resumes the run (see {@link ApprovalResume}), which therefore goes on at most once per approval.
 *
 * <p>Only sessions with approvals are looked at ({@link ApprovalIndex}, kept from the store's global log), and each
 * is re-read only when its version changed since the last look.
 */
public final class Approvals {
    private static final int DECIDE_ATTEMPTS = 8;

    private final EventStore store;
    private final ToolRegistry tools;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final ApprovalIndex index;

    private record Cached(long version, List<ApprovalRecord> records) { }

    /** @param tools validates approved arguments against the tool's input schema */
    public Approvals(EventStore store, ToolRegistry tools, Clock clock) {
        this.store = store;
        this.tools = tools;
        this.clock = clock;
        this.index = new ApprovalIndex(store);
    }

    /** The approvals {@code caller} may see, newest first; {@code sessionId} and {@code status} filter when set. */
    public List<Approval> list(Caller caller, String sessionId, ApprovalStatus status) {
        List<Approval> out = new ArrayList<>();
        for (ApprovalRecord r : records(sessionId)) {
            Approval a = r.approval();
            if (caller.mayAccess(a.owner()) && (status == null || a.status() == status)) out.add(a);
        }
        out.sort(Comparator.comparing(Approval::requestedAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    /** Every approval of one run; not found when there is none the caller may see. */
    public List<Approval> forRun(Caller caller, String runId) {
        List<Approval> out = records(null).stream().map(ApprovalRecord::approval)
                .filter(a -> a.runId().equals(runId) && caller.mayAccess(a.owner()))
                .sorted(Comparator.comparing(Approval::requestedAt)).toList();
        if (out.isEmpty()) throw notFound("no run '" + runId + "' with approvals");
        return out;
    }

    /** The result of a decision: the approval as decided, and how to resume its run. */
    public record Decided(Approval approval, ApprovalResume resume) { }

    /**
     * Records the decision and returns what the caller must resume. Not found: no such pending call the caller may
     * see; {@link ApprovalError} DECIDED when someone decided it first, EXPIRED when its time was up (the expiry is
     * then recorded and the run ended).
     */
    public Decided decide(Caller caller, String runId, String callId, ApprovalDecision decision) {
        for (int attempt = 0; attempt < DECIDE_ATTEMPTS; attempt++) {
            ApprovalRecord r = find(caller, runId, callId);
            Approval a = r.approval();
            if (!r.open()) {
                if (a.status() == ApprovalStatus.EXPIRED) throw expired(a);
                throw new ApprovalError(ApprovalError.Kind.DECIDED, "call " + callId + " of run " + runId + " was "
                        + a.status().wireName() + " already by " + a.decision().by() + " at " + a.decision().at(),
                        "see GET /runs/" + runId + "/approvals");
            }
            if (a.status() == ApprovalStatus.EXPIRED) {
                try {
                    expire(r);
                } catch (WrongExpectedVersionError e) {
                    cache.remove(a.sessionId());
                    continue;
                }
                throw expired(a);
            }
            JsonNode args = decision.approve() ? checkedArguments(a, decision.arguments()) : null;
            String by = caller.subject() == null ? "local" : caller.subject();
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("run_id", runId);
            p.put("call_id", callId);
            p.put("by", by);
            if (decision.reason() != null) p.put("reason", decision.reason());
            if (args != null) {
                p.put("arguments", ReactCheckpoint.arguments(args));
                p.put("edited", decision.arguments() != null);
            }
            EventType type = decision.approve() ? EventType.APPROVAL_GRANTED : EventType.APPROVAL_DENIED;
            try {
                store.append(a.sessionId(), ExpectedVersion.exact(r.version()), List.of(event(r, type, p)));
            } catch (WrongExpectedVersionError e) {
                // Something else was appended meanwhile (maybe another decision): read the session again (the
                // store's session list may not show the new version yet, so the cached replay is dropped, and the
                // next read waits a little for the other writer's append to become readable).
                cache.remove(a.sessionId());
                pause(attempt);
                continue;
            }
            Approval decided = new Approval(a.runId(), a.sessionId(), a.callId(), a.agent(), a.tool(), a.toolSource(),
                    a.arguments(), a.reason(), decision.approve() ? ApprovalStatus.APPROVED : ApprovalStatus.DENIED,
                    a.requestedAt(), a.expiresAt(), a.owner(), new Approval.Decision(by, clock.instant(),
                    decision.reason(), args == null ? null : ReactCheckpoint.arguments(args)));
            return new Decided(decided, resume(r, decision.approve(), args, decision.reason(), by));
        }
        throw new StateError("the session of run " + runId + " kept changing while the decision was recorded",
                "try again");
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(50, 2L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateError("interrupted while recording a decision", "try again");
        }
    }

    /** Records the expiry of every pending approval whose time is up (ending its run); returns them. */
    public List<Approval> expireDue() {
        index.prune();
        List<Approval> expired = new ArrayList<>();
        for (ApprovalRecord r : records(null)) {
            if (!r.open() || r.approval().status() != ApprovalStatus.EXPIRED) continue;
            try {
                expire(r);
                expired.add(r.approval());
            } catch (WrongExpectedVersionError e) {
                // Appended to meanwhile (a decision, another replica's sweep): the next sweep looks again.
                cache.remove(r.approval().sessionId());
            }
        }
        return expired;
    }

    /** The expiry, an error and the run's final (failed) answer, in one append expecting the replayed version. */
    private void expire(ApprovalRecord r) {
        Approval a = r.approval();
        String message = "[APPROVAL_EXPIRED] The call of " + a.tool() + " (" + a.callId() + ") waited for approval"
                + " until " + a.expiresAt() + " and expired; the run ended without it";
        List<Event> events = List.of(
                event(r, EventType.APPROVAL_EXPIRED, Map.of("run_id", a.runId(), "call_id", a.callId(),
                        "expired_at", clock.instant().toString())),
                event(r, EventType.ERROR_OCCURRED, Map.of("code", "APPROVAL_EXPIRED", "message", message,
                        "recoverable", false)),
                event(r, EventType.MESSAGE_ADDED, Map.of("role", "assistant", "content", message, "author",
                        a.agent() == null ? "sigil" : "agent:" + a.agent(), "status", "failed", "request_id", a.runId())));
        store.append(a.sessionId(), ExpectedVersion.exact(r.version()), events);
    }

    private static Event event(ApprovalRecord r, EventType type, Map<String, Object> payload) {
        return Event.of(type, r.approval().sessionId(), r.approval().agent(), null, payload);
    }

    private JsonNode checkedArguments(Approval a, JsonNode edited) {
        JsonNode args = edited != null ? edited
                : io.sigil.json.JsonFactories.mapper().build().valueToTree(a.arguments());
        if (edited == null) return args;
        if (tools.lookup(a.tool()).isEmpty()) {
            throw new InvalidInputError("arguments: tool '" + a.tool() + "' is not available here, so edited arguments"
                    + " cannot be checked", "approve without arguments, or configure the tool on this server");
        }
        List<String> problems = tools.argumentProblems(a.tool(), edited);
        if (!problems.isEmpty()) {
            throw new InvalidInputError("arguments: do not match the input schema of " + a.tool() + ": "
                    + String.join("; ", problems),
                    "see GET /tools/" + a.tool() + " for its schema");
        }
        return args;
    }

    @SuppressWarnings("unchecked")
    private static ApprovalResume resume(ApprovalRecord r, boolean approved, JsonNode args, String reason, String by) {
        Approval a = r.approval();
        Map<String, Object> q = r.requested();
        JsonNode asked = io.sigil.json.JsonFactories.mapper().build().valueToTree(a.arguments());
        ToolCall call = new ToolCall(a.callId(), a.tool(), approved ? args : asked);
        return new ApprovalResume(a.sessionId(), a.runId(), a.agent(), (String) q.get("message"), (String) q.get("model"),
                (String) q.get("contract"), a.owner(), (String) q.get("user_id"), call, approved, reason, by,
                (Map<String, Object>) q.get("checkpoint"));
    }

    private ApprovalRecord find(Caller caller, String runId, String callId) {
        for (ApprovalRecord r : records(null)) {
            Approval a = r.approval();
            if (a.runId().equals(runId) && a.callId().equals(callId) && caller.mayAccess(a.owner())) return r;
        }
        throw notFound("no call '" + callId + "' waiting for approval in run '" + runId + "'");
    }

    private List<ApprovalRecord> records(String sessionId) {
        Instant now = clock.instant();
        List<ApprovalRecord> out = new ArrayList<>();
        Map<String, Long> sessions = index.sessions();
        if (sessionId == null) cache.keySet().retainAll(sessions.keySet());
        for (var session : sessions.entrySet()) {
            String id = session.getKey();
            if (sessionId != null && !sessionId.equals(id)) continue;
            Cached c = cache.get(id);
            if (c == null || c.version() != session.getValue()) {
                var events = store.read(id, 1);
                if (events.isEmpty()) { // deleted since it was indexed
                    index.forget(id);
                    cache.remove(id);
                    continue;
                }
                c = new Cached(events.getLast().version(), ApprovalRecord.replay(id, events, now));
                cache.put(id, c);
            }
            for (ApprovalRecord r : c.records()) out.add(r.approval().status() == ApprovalStatus.PENDING ? refreshed(r, now) : r);
        }
        return out;
    }

    /** A cached pending approval whose time ran out since it was replayed reads as expired. */
    private static ApprovalRecord refreshed(ApprovalRecord r, Instant now) {
        Approval a = r.approval();
        if (a.expiresAt() == null || now.isBefore(a.expiresAt())) return r;
        return new ApprovalRecord(new Approval(a.runId(), a.sessionId(), a.callId(), a.agent(), a.tool(), a.toolSource(),
                a.arguments(), a.reason(), ApprovalStatus.EXPIRED, a.requestedAt(), a.expiresAt(), a.owner(), null),
                r.requested(), r.version(), r.open());
    }

    private static NotFoundError notFound(String message) {
        return new NotFoundError(message, "list the calls waiting for you with GET /approvals or 'sigil approvals list'");
    }

    private static ApprovalError expired(Approval a) {
        return new ApprovalError(ApprovalError.Kind.EXPIRED, "the approval of " + a.tool() + " (" + a.callId()
                + ") in run " + a.runId() + " expired at " + a.expiresAt() + "; the run has ended",
                "start a new run; raise SIGIL_APPROVAL_EXPIRY to give people more time");
    }
}
