package io.sigil.sessions;

import io.sigil.errors.NotFoundError;
import io.sigil.errors.StateError;
import io.sigil.events.AppendOption;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventSink;
import io.sigil.events.EventStore;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.Payloads;
import io.sigil.events.RecordedEvent;
import io.sigil.events.StoreEventSink;
import io.sigil.events.StreamInfo;
import io.sigil.events.WrongExpectedVersionError;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions over an {@link EventStore}: a session is its event stream, begun by session.started and closed by
 * session.ended. Everything here is rebuilt from the events; there is no second copy of session state.
 *
 * <p>Tenancy is enforced here, in {@link #readVisible}, which every read, list, end and delete goes through: a
 * session is visible only to its owner (recorded in session.started) and to administrators ({@link Caller}).
 * Another user's session is reported exactly like a missing one. The methods without a {@link Caller} act as
 * {@link Caller#LOCAL_ADMIN} (the command line, in-process use).
 */
public final class SessionManager {
    private final EventStore store;

    public SessionManager(EventStore store) { this.store = store; }

    /** A session not stored yet: its new id and the payload of the {@code session.started} event that begins it. */
    public record NewSession(String id, Map<String, Object> startedPayload) { }

    /**
     * A new session for a caller that records its {@code session.started} event itself, as the first event of its
     * own first append: a run then stores its whole session with one append (one durable wait) instead of one more
     * at its start. The session exists once that event is stored. The id is a new random UUID, so it is free.
     */
    public NewSession open(String agentId, String userId, Map<String, Object> metadata) {
        return new NewSession(UUID.randomUUID().toString(), started(agentId, userId, metadata));
    }

    /** Starts a session owned by {@code userId}; {@code sessionId} null picks a new UUID. Fails if the id is taken. */
    public Session create(String sessionId, String agentId, String userId, Map<String, Object> metadata) {
        String id = sessionId == null ? UUID.randomUUID().toString() : Event.checkSessionId(sessionId);
        Event started = Event.of(EventType.SESSION_STARTED, id, started(agentId, userId, metadata)).withAgent(agentId);
        AppendResult appended;
        try {
            appended = store.append(id, ExpectedVersion.NO_STREAM, List.of(started));
        } catch (WrongExpectedVersionError e) {
            throw new StateError("session '" + id + "' already exists", "load it, or create a session with another id");
        }
        // The stream is exactly the event just written: project it instead of reading it back.
        return SessionProjection.replay(id, List.of(new RecordedEvent(started, appended.firstVersion(),
                appended.firstPosition())));
    }

    private static Map<String, Object> started(String agentId, String owner, Map<String, Object> metadata) {
        return new Payloads.SessionStarted(agentId, owner, owner, metadata == null ? Map.of() : metadata).toMap();
    }

    /** The session rebuilt from its events; NotFoundError when there is none. */
    public Session load(String sessionId) { return load(sessionId, Caller.LOCAL_ADMIN); }

    /** The session if {@code caller} may see it; NotFoundError when there is none or it is another user's. */
    public Session load(String sessionId, Caller caller) {
        return find(sessionId, caller).orElseThrow(() -> notFound(sessionId));
    }

    public Optional<Session> find(String sessionId) { return find(sessionId, Caller.LOCAL_ADMIN); }

    public Optional<Session> find(String sessionId, Caller caller) {
        List<RecordedEvent> events = readVisible(sessionId, caller);
        return events.isEmpty() ? Optional.empty() : Optional.of(SessionProjection.replay(sessionId, events));
    }

    /** The session's events, optionally only those of one type. */
    public List<RecordedEvent> events(String sessionId, String type) { return events(sessionId, type, Caller.LOCAL_ADMIN); }

    public List<RecordedEvent> events(String sessionId, String type, Caller caller) {
        List<RecordedEvent> events = readVisible(sessionId, caller);
        if (events.isEmpty()) throw notFound(sessionId);
        return type == null ? events : events.stream().filter(e -> e.eventType().equals(type)).toList();
    }

    /** Sessions, most recently active first; archived ones only when asked. Each is replayed for its totals. */
    public List<SessionSummary> list(boolean includeArchived) { return list(includeArchived, Caller.LOCAL_ADMIN); }

    /** The sessions {@code caller} may see. */
    public List<SessionSummary> list(boolean includeArchived, Caller caller) {
        var out = new ArrayList<SessionSummary>();
        for (StreamInfo info : store.sessions()) {
            List<RecordedEvent> events = readVisible(info.sessionId(), caller);
            if (events.isEmpty()) continue;
            Session s = SessionProjection.replay(info.sessionId(), events);
            if (includeArchived || s.status() != SessionStatus.ARCHIVED) out.add(SessionSummary.of(s));
        }
        out.sort(Comparator.comparing(SessionSummary::lastEventAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return out;
    }

    /**
     * The one tenancy check: the session's events if {@code caller} may see them, else none, exactly as for a
     * session that does not exist (so another user's session ids cannot be probed).
     */
    private List<RecordedEvent> readVisible(String sessionId, Caller caller) {
        List<RecordedEvent> events = store.read(sessionId, 1);
        if (events.isEmpty() || caller.admin()) return events;
        RecordedEvent first = events.getFirst();
        if (!first.eventType().equals(EventType.SESSION_STARTED.wireName())) return List.of();
        return caller.mayAccess(Payloads.SessionStarted.from(first.event().payload()).owner()) ? events : List.of();
    }

    /** Ends an active session (no-op for one already ended). */
    public Session end(String sessionId, String reason) { return end(sessionId, reason, Caller.LOCAL_ADMIN); }

    public Session end(String sessionId, String reason, Caller caller) {
        Session s = load(sessionId, caller);
        if (s.active()) {
            store.append(sessionId, ExpectedVersion.exact(s.version()),
                    List.of(Event.of(EventType.SESSION_ENDED, sessionId, new Payloads.SessionEnded(reason).toMap())));
        }
        return load(sessionId);
    }

    /** Ends the session if needed and archives it (an administrative append after session.ended). */
    public Session archive(String sessionId) {
        Session s = end(sessionId, "archived");
        if (s.status() != SessionStatus.ARCHIVED) {
            store.append(sessionId, ExpectedVersion.exact(s.version()),
                    List.of(Event.of(EventType.SESSION_ARCHIVED, sessionId, Map.of())), AppendOption.ADMIN_OVERRIDE);
        }
        return load(sessionId);
    }

    /** Deletes the session and all its events. */
    public void delete(String sessionId) { delete(sessionId, Caller.LOCAL_ADMIN); }

    public void delete(String sessionId, Caller caller) {
        load(sessionId, caller);
        if (!store.delete(sessionId)) throw notFound(sessionId);
    }

    /**
     * The crash-recovery sweep, run at start-up before any run: every active session whose latest run has no
     * answer (the process died during it) gets a {@code run.interrupted} event, so it no longer looks active
     * forever. Returns the ids of the sessions marked.
     */
    public List<String> markInterruptedRuns(String reason, java.time.Instant now) {
        return markInterruptedRuns(reason, now, id -> false);
    }

    /**
     * The sweep for replicas sharing one store: sessions for which {@code runningElsewhere} is true (their run holds
     * a lease on another live replica) are left alone.
     */
    public List<String> markInterruptedRuns(String reason, java.time.Instant now,
                                            java.util.function.Predicate<String> runningElsewhere) {
        var marked = new ArrayList<String>();
        for (StreamInfo info : store.sessions()) {
            if (runningElsewhere.test(info.sessionId())) continue;
            List<RecordedEvent> events = store.read(info.sessionId(), 1);
            if (events.isEmpty()) continue;
            Session s = SessionProjection.replay(info.sessionId(), events);
            if (s.lastRun() != RunState.OPEN || !s.active()) continue;
            Map<String, Object> payload = new java.util.LinkedHashMap<>();
            if (s.openRequestId() != null) payload.put("request_id", s.openRequestId());
            payload.put("reason", reason);
            payload.put("interrupted_at", now.toString());
            try {
                store.append(info.sessionId(), ExpectedVersion.exact(s.version()),
                        List.of(Event.of(EventType.RUN_INTERRUPTED, info.sessionId(), payload)));
                marked.add(info.sessionId());
            } catch (WrongExpectedVersionError e) {
                // Appended to meanwhile: a run is live in it after all, so it was not interrupted.
            }
        }
        return marked;
    }

    /** A durable sink for one request of this session. */
    public EventSink sink(String sessionId, String agentId, String correlationId) {
        return new StoreEventSink(store, sessionId, agentId, correlationId);
    }

    private static NotFoundError notFound(String sessionId) {
        return new NotFoundError("no session '" + sessionId + "'", "list sessions with 'sigil sessions list'");
    }
}
