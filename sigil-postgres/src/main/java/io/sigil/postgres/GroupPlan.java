package io.sigil.postgres;

import io.sigil.events.AppendResult;
import io.sigil.events.DuplicateEventError;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.SessionEndedError;
import io.sigil.events.SessionFullError;
import io.sigil.events.WrongExpectedVersionError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Decides the appends of one group, in arrival order, against what the database holds (read with the event table
 * locked against other writers, so none changes it meanwhile) and what earlier appends of the same group added: each is
 * an idempotent retry (answered with where its events already are), refused (version, ended, full, duplicate
 * ids: only that append fails) or accepted with its versions and positions. The accepted rows are then written
 * in one transaction.
 */
final class GroupPlan {
    /** Where an event id already is. */
    record Stored(String sessionId, long version, long position) { }

    /**
     * A session's state as the group sees it. Its row in {@code sessions} is written only when it starts, ends or
     * first names its agent ({@link #rowChanged}); its version lives in its events.
     */
    static final class SessionState {
        long version;
        boolean ended;
        String agentId;
        boolean rowChanged;

        SessionState(long version, boolean ended, String agentId) {
            this.version = version;
            this.ended = ended;
            this.agentId = agentId;
        }
    }

    /** One event to insert. */
    record Row(Event event, String payloadJson, long version, long position) { }

    private static final String ENDED = EventType.SESSION_ENDED.wireName();

    private final Map<UUID, Stored> ids;
    private final Map<String, SessionState> sessions;
    private final int maxEventsPerSession;
    private final List<Row> rows = new ArrayList<>();
    private final long generation;
    /** The last position given out: the transaction's base before the first accepted append. */
    private long last;

    GroupPlan(long base, long generation, Map<UUID, Stored> ids, Map<String, SessionState> sessions, int maxEventsPerSession) {
        this.last = base;
        this.generation = generation;
        this.ids = ids;
        this.sessions = sessions;
        this.maxEventsPerSession = maxEventsPerSession;
    }

    /** The outcome of one append: its result, or the error that refuses it (nothing of it is written). */
    Object decide(AppendRequest r) {
        try {
            AppendResult retry = previousAppend(r.sessionId(), r.events());
            return retry != null ? retry : accept(r);
        } catch (RuntimeException e) {
            return e;
        }
    }

    private AppendResult accept(AppendRequest r) {
        List<Event> events = r.events();
        SessionState s = sessions.get(r.sessionId());
        long current = s == null ? 0 : s.version;
        if (!r.expected().accepts(current)) throw new WrongExpectedVersionError(r.sessionId(), r.expected(), current);
        if (s != null && s.ended && !r.admin()) throw new SessionEndedError(r.sessionId());
        if (current + events.size() > maxEventsPerSession) {
            throw new SessionFullError(r.sessionId(), current, events.size(), maxEventsPerSession);
        }
        if (s == null) {
            s = new SessionState(0, false, null);
            s.rowChanged = true;
            sessions.put(r.sessionId(), s);
        }
        long firstPosition = last + 1;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            long version = current + 1 + i;
            long position = firstPosition + i;
            rows.add(new Row(e, r.payloads()[i], version, position));
            ids.put(e.eventId(), new Stored(r.sessionId(), version, position));
            if (ENDED.equals(e.eventType()) && !s.ended) {
                s.ended = true;
                s.rowChanged = true;
            }
            if (s.agentId == null && e.agentId() != null) {
                s.agentId = e.agentId();
                s.rowChanged = true;
            }
        }
        last += events.size();
        s.version = current + events.size();
        return new AppendResult(r.sessionId(), current + 1, current + events.size(), firstPosition, last);
    }

    /**
     * The result of an earlier append of exactly these events to this session, null when none of them is stored,
     * or a conflict when some are stored elsewhere or only some are stored (the file store's rule).
     */
    private AppendResult previousAppend(String sessionId, List<Event> events) {
        Stored first = ids.get(events.getFirst().eventId());
        if (first == null) {
            for (Event e : events) {
                Stored s = ids.get(e.eventId());
                if (s != null) throw new DuplicateEventError(e.eventId(), elsewhere(s.position()));
            }
            return null;
        }
        if (!first.sessionId().equals(sessionId)) throw new DuplicateEventError(events.getFirst().eventId(), elsewhere(first.position()));
        Stored last = first;
        for (int i = 1; i < events.size(); i++) {
            Stored s = ids.get(events.get(i).eventId());
            if (s == null || !s.sessionId().equals(sessionId) || s.version() != first.version() + i) {
                throw new DuplicateEventError(events.get(i).eventId(),
                        "in session '" + sessionId + "' but not as part of the same batch");
            }
            last = s;
        }
        return new AppendResult(sessionId, first.version(), last.version(), first.position(), last.position());
    }

    private static String elsewhere(long position) {
        return "at global position " + position + ", not as the first event of this retried batch";
    }

    /** The last position of the group's accepted events. */
    long lastPosition() { return last; }

    /** The deletion generation, read under the table lock. */
    long generation() { return generation; }

    List<Row> rows() { return rows; }

    /** The sessions the group read or started, with their state after it. */
    Map<String, SessionState> sessions() { return sessions; }
}
