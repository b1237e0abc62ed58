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
 * A group of appends written in ONE round trip, without reading first. Each append states the version its session
 * is at: the one this process last saw ({@link SessionVersions}), or, for a session it has not seen, the exact
 * version the caller expects. The statement inserts the events at positions counted from its transaction's id
 * (V10: {@code (xid8 + xid_offset) << 13}), writes a session row only when one starts, ends or first names its agent, notifies
 * and commits; it takes no lock other groups wait for, so groups of several connections and processes commit in
 * parallel. When a guess was wrong, or an event id is already stored (a retry), the transaction aborts before its
 * COMMIT and the caller decides the group the careful way ({@link GroupPlan}: lock, read, decide, write). Only for
 * groups whose appends go to distinct sessions, the common case of concurrent runs; several appends to one session
 * in a group go the careful way.
 */
final class GuardedGroupWrite {
    /**
     * One statement, so that PostgreSQL decodes every parameter (arrays, event ids, timestamps, payload JSON) at Bind.
     * Like every event writer it holds its lock on {@code events} (ROW EXCLUSIVE, taken when the statement starts)
     * before it has a transaction id, which the read horizon relies on ({@code sigil_event_horizon()}, V10).
     * <p>How a wrong guess is caught. A version this process saw is right unless another writer appended since (the
     * events' unique (session, version) key refuses the second writer of a version: 23505) or the session was
     * deleted (the head's generation has moved: a deletion locks {@code events} SHARE ROW EXCLUSIVE, so it waits for
     * this statement, or this statement starts after it committed and its snapshot sees the new generation). A
     * version only the caller stated is checked against the previous event and the session's end (row kind 1, or 2
     * for an admin append). A new session is an INSERT, which conflicts if it exists. A failed check gives the event
     * a NULL session id, which the column's NOT NULL refuses (23502). Either error aborts the transaction, and the
     * COMMIT after it is not run. A check that misses a commit made after the snapshot fails (the careful way then
     * reads under its lock); a commit it sees stays true.
     * <p>The plan is the cached generic one: for the one-element arrays of a lone append PostgreSQL otherwise judges a
     * custom plan cheaper and plans this statement anew every time (measured: ~0.3 ms of its CPU per append at one
     * writer, the store then at 0.3x the one-INSERT baseline; docs/benchmarks.md).
     */
    private static final String WRITE = """
            SET LOCAL enable_seqscan = off;
            SET LOCAL plan_cache_mode = force_generic_plan;
            WITH h AS (SELECT (pg_current_xact_id()::text::bigint + xid_offset) << 13 AS base, generation = ? AS same
                       FROM event_store_head WHERE id = 1),
            x AS (SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::boolean[]) AS x(s, a, cur, e)),
            i AS (INSERT INTO sessions (session_id, agent_id, status, ended_at)
                  SELECT x.s, x.a, CASE WHEN x.e THEN 'ended' ELSE 'active' END, CASE WHEN x.e THEN NOW() END
                  FROM x, h WHERE h.same AND x.cur = 0),
            u AS (UPDATE sessions SET agent_id = COALESCE(sessions.agent_id, x.a),
                      status = CASE WHEN x.e OR sessions.ended_at IS NOT NULL THEN 'ended' ELSE 'active' END,
                      ended_at = COALESCE(sessions.ended_at, CASE WHEN x.e THEN NOW() END)
                  FROM x, h WHERE h.same AND x.cur > 0 AND sessions.session_id = x.s),
            w AS (INSERT INTO events (position, event_id, session_id, version, event_type, timestamp, agent_id,
                                      correlation_id, schema_version, payload)
                  SELECT h.base + y.o, y.i,
                         CASE WHEN h.same AND (y.k = 0 OR (
                                 EXISTS (SELECT 1 FROM events p WHERE p.session_id = y.s AND p.version = y.v - 1)
                                 AND EXISTS (SELECT 1 FROM sessions r WHERE r.session_id = y.s AND (r.ended_at IS NULL OR y.k = 2))))
                              THEN y.s END,
                         y.v, y.t, y.ts, y.a, y.c, y.sv, p.j -> (y.n::int - 1)
                  FROM h, (SELECT ?::jsonb AS j) p,
                       unnest(?::bigint[], ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[],
                              ?::text[], ?::int[], ?::int[]) WITH ORDINALITY AS y(o, i, s, v, t, ts, a, c, sv, k, n))
            SELECT base, pg_notify('%s', (base + ?)::text) FROM h;
            COMMIT""".formatted(PositionWatch.CHANNEL);

    private static final String ENDED = EventType.SESSION_ENDED.wireName();
    private static final String GUARD_FAILED = "23502";
    private static final String ALREADY_STORED = "23505";
    /** Row kinds: no check (a version this process saw), check the previous event and the end, the same for an admin. */
    private static final int TRUSTED = 0, CHECKED = 1, CHECKED_ADMIN = 2;

    /** One append's session as this write sees it. */
    private record Guess(long current, boolean checked, SessionVersions.Seen seen) { }

    private final List<AppendRequest> group;
    private final List<Guess> guesses;
    private final long generation;
    private final int events;

    private GuardedGroupWrite(List<AppendRequest> group, List<Guess> guesses, long generation, int events) {
        this.group = group;
        this.guesses = guesses;
        this.generation = generation;
        this.events = events;
    }

    /**
     * The one-round-trip write of {@code group}, or null when it needs the careful way: no generation known yet, two
     * appends to one session, a session whose version this process cannot state, one it saw ended (the careful way
     * gives the error), an admin append to a session it has not seen, or an append that would overfill its session.
     */
    static GuardedGroupWrite of(List<AppendRequest> group, SessionVersions seen, int maxEventsPerSession) {
        long generation = seen.generation(); // read before the guesses: a guess never belongs to a later generation
        if (generation == SessionVersions.UNKNOWN_GENERATION) return null;
        List<Guess> guesses = new ArrayList<>(group.size());
        Set<String> sessions = new HashSet<>(group.size() * 2);
        SessionVersions.Seen[] known = seen.get(group);
        int events = 0;
        for (int k = 0; k < known.length; k++) {
            AppendRequest r = group.get(k);
            if (!sessions.add(r.sessionId())) return null;
            SessionVersions.Seen s = known[k];
            if (s != null && s.ended() && !r.admin()) return null;
            if (s == null && r.admin()) return null;
            long current = guess(r.expected(), s);
            if (current < 0 || current + r.events().size() > maxEventsPerSession) return null;
            guesses.add(new Guess(current, s == null && current > 0, s));
            events += r.events().size();
        }
        return new GuardedGroupWrite(group, guesses, generation, events);
    }

    private static long guess(ExpectedVersion expected, SessionVersions.Seen seen) {
        long known = seen == null ? -1 : seen.version();
        return switch (expected) {
            case ExpectedVersion.Exact e -> known < 0 || known == e.version() ? e.version() : -1; // a known mismatch fails
            case ExpectedVersion.NoStream n -> known <= 0 ? 0 : -1;
            case ExpectedVersion.Exists x -> known > 0 ? known : -1;
            case ExpectedVersion.Any a -> known;
        };
    }

    /**
     * Writes and commits the group; returns each append's result in group order and records what it wrote in
     * {@code seen}, or returns null after rolling back when a guess was wrong or an event id is already stored
     * (nothing of the group is written then).
     */
    List<AppendResult> commit(Connection c, SessionVersions seen) throws SQLException {
        int n = group.size();
        // the session rows that start, end or first name their agent: session, agent, version before, ends
        var xs = new ArrayLiteral("text[]", n * 40);
        var xa = new ArrayLiteral("text[]", n * 8);
        var xcur = new ArrayLiteral("int8[]", n * 4);
        var xe = new ArrayLiteral("bool[]", n * 6);
        var y = new EventColumns(events);
        var kinds = new ArrayLiteral("int4[]", events * 2);
        List<SessionVersions.Seen> after = new ArrayList<>(n);
        int row = 0;
        for (int k = 0; k < n; k++) {
            AppendRequest r = group.get(k);
            Guess g = guesses.get(k);
            List<Event> evs = r.events();
            String agent = null;
            boolean ends = false;
            for (int j = 0; j < evs.size(); j++, row++) {
                Event e = evs.get(j);
                if (agent == null) agent = e.agentId();
                ends |= ENDED.equals(e.eventType());
                y.add(row + 1, e, g.current() + 1 + j, r.payloads()[j]); // position: offset from the transaction's base
                kinds.add(j > 0 || !g.checked() ? TRUSTED : r.admin() ? CHECKED_ADMIN : CHECKED);
            }
            boolean agentRecorded = g.seen() != null && g.seen().agentRecorded();
            if (g.current() == 0 || ends || (agent != null && !agentRecorded)) { // the session row changes
                xs.addText(r.sessionId());
                xa.addText(agent);
                xcur.add(g.current());
                xe.addPlain(ends);
            }
            after.add(new SessionVersions.Seen(g.current() + evs.size(), ends || (g.seen() != null && g.seen().ended()),
                    agentRecorded || agent != null));
        }
        long base;
        try (PreparedStatement ps = c.prepareStatement(WRITE)) {
            ps.setLong(1, generation);
            ps.setObject(2, xs.parameter());
            ps.setObject(3, xa.parameter());
            ps.setObject(4, xcur.parameter());
            ps.setObject(5, xe.parameter());
            int next = y.bind(ps, 6);
            ps.setObject(next, kinds.parameter());
            ps.setInt(next + 1, events);
            ps.execute();
            ps.getMoreResults(); // past the two SETs
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                base = rs.getLong(1);
            }
        } catch (SQLException e) {
            if (!GUARD_FAILED.equals(e.getSQLState()) && !ALREADY_STORED.equals(e.getSQLState())) throw e;
            c.rollback();
            for (AppendRequest r : group) seen.forget(r.sessionId());
            return null;
        }
        c.commit(); // already committed by the statement; the driver sends nothing
        List<AppendResult> results = new ArrayList<>(n);
        long position = base;
        for (int k = 0; k < n; k++) {
            AppendRequest r = group.get(k);
            long current = guesses.get(k).current();
            int size = r.events().size();
            results.add(new AppendResult(r.sessionId(), current + 1, current + size, position + 1, position + size));
            position += size;
        }
        seen.put(group, after, generation);
        return results;
    }

    /** The last position the group wrote. */
    static long lastPosition(List<AppendResult> results) {
        return results.getLast().lastPosition();
    }
}
