package io.sigil.postgres;

import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A group of appends written in ONE round trip, without reading first: each append states the version its
 * session is at (its exact expected version, or the one this process last saw), the statement moves the head,
 * updates or creates each session only if it is still at that version (and not ended, unless admin), inserts the
 * events at positions counted from the head, notifies and commits. When a guess was wrong, or an event id is
 * already stored (a retry), the transaction aborts before its COMMIT and the caller decides the group the careful
 * way ({@link GroupPlan}: read, decide, write). Only for groups whose appends go to distinct sessions, the common
 * case of concurrent runs; several appends to one session in a group are left to the careful way.
 */
final class GuardedGroupWrite {
    /**
     * One statement, so that PostgreSQL decodes every parameter (arrays, event ids, timestamps, payload JSON) at Bind,
     * before the head's row lock is taken: the lock is held only for the writes. The main query reads only {@code h};
     * the other data-modifying CTEs run after it, when the executor finishes the statement, so the head is locked
     * before sessions and events are written, the lock order of the careful way. An
     * append whose session guard failed gets its events inserted with a NULL session id, which the column's NOT
     * NULL refuses (23502): that aborts the transaction, and the COMMIT after it is not run. The statement's
     * snapshot is older than the lock, which is safe: a session row changed meanwhile fails the UPDATE's re-check
     * of its version, and one created meanwhile is either not seen by the UPDATE (its guard fails) or a conflict of
     * the INSERT; either way the group goes the careful way, which reads under the lock. Sessions are looked up by
     * their key whatever the table's size: on a small table the planner's choice, a hash join over a sequential
     * scan, reads every session row (and its dead versions: the rows are updated all the time) under the lock.
     */
    private static final String WRITE = """
            SET LOCAL enable_seqscan = off;
            WITH h AS (UPDATE event_store_head SET last_position = last_position + ? WHERE id = 1
                       RETURNING last_position AS last, last_position - ? AS base),
            x AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::boolean[], ?::boolean[])
                  AS x(s, a, cur, v, lp, e, adm)),
            u AS (UPDATE sessions SET version = x.v, last_position = h.base + x.lp,
                      agent_id = COALESCE(sessions.agent_id, x.a),
                      status = CASE WHEN x.e OR sessions.ended_at IS NOT NULL THEN 'ended' ELSE 'active' END,
                      ended_at = COALESCE(sessions.ended_at, CASE WHEN x.e THEN NOW() END)
                  FROM x, h
                  WHERE x.cur > 0 AND sessions.session_id = x.s AND sessions.version = x.cur
                      AND (sessions.ended_at IS NULL OR x.adm)
                  RETURNING sessions.session_id),
            i AS (INSERT INTO sessions (session_id, agent_id, version, last_position, status, ended_at)
                  SELECT x.s, x.a, x.v, h.base + x.lp, CASE WHEN x.e THEN 'ended' ELSE 'active' END, CASE WHEN x.e THEN NOW() END
                  FROM x, h WHERE x.cur = 0
                  ON CONFLICT (session_id) DO NOTHING RETURNING session_id),
            ok AS (SELECT session_id FROM u UNION ALL SELECT session_id FROM i),
            w AS (INSERT INTO events (position, event_id, session_id, version, event_type, timestamp, agent_id,
                                      correlation_id, schema_version, payload)
                  SELECT h.base + y.o, y.i, ok.session_id, y.v, y.t, y.ts, y.a, y.c, y.sv, y.pl
                  FROM h, unnest(?::bigint[], ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[],
                                 ?::text[], ?::int[], ?::jsonb[]) AS y(o, i, s, v, t, ts, a, c, sv, pl)
                  LEFT JOIN ok ON ok.session_id = y.s)
            SELECT last, pg_notify('%s', last::text) FROM h;
            COMMIT""".formatted(PositionWatch.CHANNEL);

    private static final String ENDED = EventType.SESSION_ENDED.wireName();
    private static final String GUARD_FAILED = "23502";
    private static final String ALREADY_STORED = "23505";

    private final List<AppendRequest> group;
    private final long[] current;
    private final int events;

    private GuardedGroupWrite(List<AppendRequest> group, long[] current, int events) {
        this.group = group;
        this.current = current;
        this.events = events;
    }

    /**
     * The one-round-trip write of {@code group}, or null when it needs the careful way: two appends to one
     * session, a session whose version this process cannot guess, or an append that would overfill its session.
     */
    static GuardedGroupWrite of(List<AppendRequest> group, SessionVersions seen, int maxEventsPerSession) {
        long[] current = new long[group.size()];
        Set<String> sessions = new HashSet<>();
        int events = 0;
        for (int i = 0; i < group.size(); i++) {
            AppendRequest r = group.get(i);
            if (!sessions.add(r.sessionId())) return null;
            long guess = guess(r.expected(), seen.get(r.sessionId()));
            if (guess < 0 || guess + r.events().size() > maxEventsPerSession) return null;
            current[i] = guess;
            events += r.events().size();
        }
        return new GuardedGroupWrite(group, current, events);
    }

    private static long guess(ExpectedVersion expected, long seen) {
        return switch (expected) {
            case ExpectedVersion.Exact e -> seen < 0 || seen == e.version() ? e.version() : -1; // a known mismatch fails
            case ExpectedVersion.NoStream n -> seen <= 0 ? 0 : -1;
            case ExpectedVersion.Exists x -> seen > 0 ? seen : -1;
            case ExpectedVersion.Any a -> seen;
        };
    }

    /**
     * Writes and commits the group; returns each append's result in group order and records the sessions' new
     * versions in {@code seen}, or returns null after rolling back when a guess was wrong or an event id is
     * already stored (nothing of the group is written then).
     */
    List<AppendResult> commit(Connection c, SessionVersions seen) throws SQLException {
        int n = group.size();
        Object[][] s = new Object[7][n];
        var y = new EventColumns(events);
        int row = 0;
        for (int k = 0; k < n; k++) {
            AppendRequest r = group.get(k);
            List<Event> evs = r.events();
            String agent = null;
            boolean ends = false;
            for (int j = 0; j < evs.size(); j++, row++) {
                Event e = evs.get(j);
                if (agent == null) agent = e.agentId();
                ends |= ENDED.equals(e.eventType());
                y.add(row + 1, e, current[k] + 1 + j, r.payloads()[j]); // position: offset from the head
            }
            s[0][k] = r.sessionId();
            s[1][k] = agent;
            s[2][k] = current[k];
            s[3][k] = current[k] + evs.size();
            s[4][k] = (long) row;
            s[5][k] = ends;
            s[6][k] = r.admin();
        }
        long head;
        try (PreparedStatement ps = c.prepareStatement(WRITE)) {
            ps.setInt(1, events);
            ps.setInt(2, events);
            String[] sessionTypes = {"text", "text", "bigint", "bigint", "bigint", "boolean", "boolean"};
            for (int k = 0; k < s.length; k++) ps.setArray(3 + k, c.createArrayOf(sessionTypes[k], s[k]));
            y.bind(c, ps, 3 + s.length);
            ps.execute();
            ps.getMoreResults(); // past the SET
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                head = rs.getLong(1);
            }
        } catch (SQLException e) {
            if (!GUARD_FAILED.equals(e.getSQLState()) && !ALREADY_STORED.equals(e.getSQLState())) throw e;
            c.rollback();
            for (AppendRequest r : group) seen.forget(r.sessionId());
            return null;
        }
        c.commit(); // already committed by the statement; the driver sends nothing
        List<AppendResult> results = new ArrayList<>(n);
        long position = head - events;
        for (int k = 0; k < n; k++) {
            AppendRequest r = group.get(k);
            int size = r.events().size();
            results.add(new AppendResult(r.sessionId(), current[k] + 1, current[k] + size, position + 1, position + size));
            position += size;
            seen.put(r.sessionId(), current[k] + size);
        }
        return results;
    }

    /** The head after the commit: the last position of the group. */
    static long lastPosition(List<AppendResult> results) {
        return results.getLast().lastPosition();
    }
}
