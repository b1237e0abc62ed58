package io.sigil.postgres;

import io.sigil.errors.StateError;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Writes the appends of a store in groups, one transaction per group; an append is acknowledged only after that
 * commit. An append alone in an idle store is written by its own thread (no hand-off); otherwise a committer thread
 * takes every append waiting into the next group. Two committer threads on two connections keep up to
 * {@value #IN_FLIGHT} groups in flight: the next group is built and sent while the previous one executes or waits
 * for its commit's WAL flush. A group's positions come from its transaction id (V10), so groups need no common
 * lock and commit in parallel; readers see them in position order through the read horizon. A group goes in one
 * round trip when its sessions are where this process expects them ({@link GuardedGroupWrite}), else it locks the
 * event table against other writers, reads, decides ({@link GroupPlan}) and writes. A failed transaction
 * (PostgreSQL down, connection lost) fails every append of the group with a recoverable {@link StateError}; a
 * retry with the same event ids is idempotent, also when the commit did happen and only its acknowledgement was
 * lost. Waiters are woken by {@link PendingAppend}'s fan-out, not one by one by the committer.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);
    /** At most this many events per transaction: positions are {@code ((xid8 + xid_offset) << 13) + 1..8191} (V10). */
    static final int MAX_GROUP_EVENTS = 8_191;
    /** Sessions whose version is remembered for the one-round-trip write. */
    private static final int SEEN_SESSIONS = 16_384;
    /** Groups written at once, each by a committer thread on its own connection. */
    static final int IN_FLIGHT = 2;
    /** Appends waiting that make a second group worth starting while one is in flight. */
    static final int PIPELINE_MIN = 64;
    /** How long a committer thread sleeps when nothing is queued (submit wakes it sooner). */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * The group's reads in one round trip (the driver sends the statements together): the event table locked against
     * other writers and deletions (SHARE ROW EXCLUSIVE, before the transaction has an id: the read horizon relies on
     * it), the deletion generation and the transaction's position base, where the group's event ids already are, and
     * the state of its sessions, their versions from their last events. Joined with unnest so that the planner looks each id up in its index ({@code = ANY(array)}
     * drew sequential scans of the growing table).
     */
    private static final String READ_STATE = """
            LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE;
            SELECT generation, (pg_current_xact_id()::text::bigint + xid_offset) << 13 FROM event_store_head WHERE id = 1;
            SELECT e.event_id, e.session_id, e.version, e.position FROM unnest(?::uuid[]) AS q(id) JOIN events e ON e.event_id = q.id;
            SELECT s.session_id,
                   COALESCE((SELECT max(e.version) FROM events e WHERE e.session_id = s.session_id), 0),
                   s.ended_at IS NOT NULL, s.agent_id
                FROM unnest(?::text[]) AS q(id) JOIN sessions s ON s.session_id = q.id""";
    /**
     * The group's writes and its commit in one round trip: the session rows that start, end or name their agent,
     * events, a NOTIFY of the last position (sent at commit), COMMIT. The driver sees the transaction ended, so the
     * {@code commit()} after it sends nothing.
     */
    private static final String WRITE_GROUP = """
            INSERT INTO sessions (session_id, agent_id, status, ended_at)
            SELECT s, a, CASE WHEN e THEN 'ended' ELSE 'active' END, CASE WHEN e THEN NOW() END
            FROM unnest(?::text[], ?::text[], ?::boolean[]) AS x(s, a, e)
            ON CONFLICT (session_id) DO UPDATE SET agent_id = COALESCE(sessions.agent_id, EXCLUDED.agent_id),
                status = EXCLUDED.status, ended_at = COALESCE(sessions.ended_at, EXCLUDED.ended_at);
            INSERT INTO events (position, event_id, session_id, version, event_type, timestamp, agent_id,
                                correlation_id, schema_version, payload)
            SELECT x.p, x.i, x.s, x.v, x.t, x.ts, x.a, x.c, x.sv, pj.j -> (x.n::int - 1)
            FROM (SELECT ?::jsonb AS j) pj,
                 unnest(?::bigint[], ?::uuid[], ?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[],
                        ?::int[]) WITH ORDINALITY AS x(p, i, s, v, t, ts, a, c, sv, n);
            SELECT pg_notify('%s', ?::text);
            COMMIT""".formatted(PositionWatch.CHANNEL);

    private final PostgresDatabase db;
    private final int maxEventsPerSession;
    private final LongConsumer committed;
    private final LinkedBlockingQueue<AppendRequest> queue = new LinkedBlockingQueue<>();
    /**
     * One permit per group being decided and written. Two groups may be in flight, each on its own connection: the
     * second is prepared and sent while the first executes or waits for its commit. A caller writes its own append
     * only when no group is in flight.
     */
    private final Semaphore writing = new Semaphore(IN_FLIGHT);
    /** Held while a group is taken from the queue, so that groups hold consecutive appends. */
    private final ReentrantLock taking = new ReentrantLock();
    private final SessionVersions seen = new SessionVersions(SEEN_SESSIONS);
    private final Thread[] threads = new Thread[IN_FLIGHT];
    /** Whether each committer thread is parked for want of work (submit wakes only such a thread). */
    private final AtomicIntegerArray idle = new AtomicIntegerArray(IN_FLIGHT);
    private volatile boolean closed;

    /**
     * @param generation the database's deletion generation when the store opened (nothing is remembered under it
     *                   yet, so reading it outside the table lock is safe), or {@link SessionVersions#UNKNOWN_GENERATION}
     * @param committed  told the group's last position after each commit that wrote events
     */
    GroupCommitter(PostgresDatabase db, int maxEventsPerSession, long generation, LongConsumer committed) {
        this.db = db;
        seen.generation(generation);
        this.maxEventsPerSession = maxEventsPerSession;
        this.committed = committed;
        for (int i = 0; i < IN_FLIGHT; i++) {
            int k = i;
            threads[i] = Thread.ofPlatform().daemon().name("sigil-pg-group-commit-" + i).start(() -> run(k));
        }
    }

    /**
     * Queues the append and, when it is the only one waiting and no group is being written, writes it on the calling
     * thread: an idle store pays no hand-off to a committer thread. Only its own append goes in that transaction,
     * so an interrupt of the caller (a cancelled run's virtual thread has its socket closed) fails nothing else.
     * Otherwise a committer thread takes it into the next group.
     */
    void submit(AppendRequest request) {
        if (closed) throw new StateError("the PostgreSQL event store is closed");
        queue.add(request);
        if (closed && queue.remove(request)) throw new StateError("the PostgreSQL event store is closed");
        if (queue.peek() == request && writing.availablePermits() == IN_FLIGHT && writing.tryAcquire(IN_FLIGHT)) {
            try {
                if (queue.size() == 1 && queue.remove(request)) commitCatching(List.of(request));
            } finally {
                writing.release(IN_FLIGHT);
            }
        }
        if (worthTaking()) wakeIdleCommitter();
    }

    /**
     * Whether a committer thread should take a group now: when none is in flight, or when enough appends wait that a
     * second group is worth its own commit. Fewer wait for the group in flight to finish: split into two groups
     * they would cost two commits (measured at 16 writers: 0.4-0.6x the throughput of one group at a time).
     */
    private boolean worthTaking() {
        int waiting = queue.size();
        return waiting > 0 && (waiting >= PIPELINE_MIN || writing.availablePermits() == IN_FLIGHT);
    }

    private void wakeIdleCommitter() {
        for (int i = 0; i < IN_FLIGHT; i++) {
            if (idle.get(i) == 1 && idle.compareAndSet(i, 1, 0)) {
                LockSupport.unpark(threads[i]);
                return;
            }
        }
    }

    /** Appends waiting for their group's commit. */
    int pending() { return queue.size(); }

    /** Writes the groups that a caller could not write itself because another group was being written. */
    private void run(int k) {
        while (!closed) {
            if (!worthTaking()) {
                idle.set(k, 1);
                if (!worthTaking() && !closed) LockSupport.parkNanos(IDLE_PARK_NANOS); // submit checks idle after adding
                idle.set(k, 0);
                continue;
            }
            writing.acquireUninterruptibly();
            try {
                List<AppendRequest> group = take();
                if (!group.isEmpty()) commitCatching(group);
            } finally {
                writing.release();
            }
        }
        StateError closedError = new StateError("the PostgreSQL event store closed before the append was written",
                "retry the request (appends are idempotent by event id)");
        List<AppendRequest> left = new ArrayList<>();
        for (AppendRequest r; (r = queue.poll()) != null; ) left.add(r);
        PendingAppend.fail(left, closedError);
    }

    /** Takes the waiting appends, up to {@link #MAX_GROUP_EVENTS} events. */
    private List<AppendRequest> take() {
        List<AppendRequest> group = new ArrayList<>();
        int events = 0;
        taking.lock();
        try {
            AppendRequest next;
            while ((next = queue.peek()) != null && (group.isEmpty() || events + next.events().size() <= MAX_GROUP_EVENTS)) {
                group.add(queue.poll());
                events += next.events().size();
            }
        } finally {
            taking.unlock();
        }
        return group;
    }

    private void commitCatching(List<AppendRequest> group) {
        try {
            commit(group);
        } catch (RuntimeException e) {
            log.error("group commit failed unexpectedly", e);
            PendingAppend.fail(group, e);
        }
    }

    /** One round trip when the group's sessions are where this process expects them; otherwise read, decide, write. */
    private void commit(List<AppendRequest> group) {
        List<Object> outcomes;
        long head;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                GuardedGroupWrite guarded = GuardedGroupWrite.of(group, seen, maxEventsPerSession);
                List<AppendResult> fast = guarded == null ? null : guarded.commit(c, seen);
                if (fast != null) {
                    outcomes = List.copyOf(fast);
                    head = GuardedGroupWrite.lastPosition(fast);
                } else {
                    GroupPlan plan = plan(c, group);
                    outcomes = new ArrayList<>(group.size());
                    for (AppendRequest r : group) outcomes.add(plan.decide(r));
                    head = plan.rows().isEmpty() ? -1 : write(c, plan);
                    c.commit();
                    plan.sessions().forEach((id, st) -> seen.put(id,
                            new SessionVersions.Seen(st.version, st.ended, st.agentId != null), plan.generation()));
                }
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            PendingAppend.fail(group, SqlErrors.failed("append " + group.size() + " batch(es) of events", e));
            return;
        } catch (StateError e) { // no connection
            PendingAppend.fail(group, e);
            return;
        }
        if (head > 0) committed.accept(head);
        PendingAppend.release(group, outcomes);
    }

    /** Locks the event table against other writers, then reads the state the group's appends depend on. */
    private GroupPlan plan(Connection c, List<AppendRequest> group) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        Set<String> sessionIds = new LinkedHashSet<>();
        for (AppendRequest r : group) {
            sessionIds.add(r.sessionId());
            for (Event e : r.events()) ids.add(e.eventId());
        }
        long base;
        long generation;
        Map<UUID, GroupPlan.Stored> stored = new HashMap<>();
        Map<String, GroupPlan.SessionState> sessions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(READ_STATE)) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            ps.setArray(2, c.createArrayOf("text", sessionIds.toArray()));
            ps.execute();
            ps.getMoreResults(); // past the LOCK
            try (ResultSet rs = ps.getResultSet()) {
                if (!rs.next()) throw new StateError("the PostgreSQL schema has no event_store_head row", "run 'sigil db validate'");
                generation = rs.getLong(1);
                base = rs.getLong(2);
            }
            seen.generation(generation); // under the table lock: no deletion can be in between
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    stored.put(rs.getObject(1, UUID.class), new GroupPlan.Stored(rs.getString(2), rs.getLong(3), rs.getLong(4)));
                }
            }
            ps.getMoreResults();
            try (ResultSet rs = ps.getResultSet()) {
                while (rs.next()) {
                    sessions.put(rs.getString(1), new GroupPlan.SessionState(rs.getLong(2), rs.getBoolean(3), rs.getString(4)));
                }
            }
        }
        return new GroupPlan(base, generation, stored, sessions, maxEventsPerSession);
    }

    /** Writes the accepted rows (notifying listeners at commit); returns the last position written. */
    private long write(Connection c, GroupPlan plan) throws SQLException {
        List<String> s = new ArrayList<>();
        List<String> a = new ArrayList<>();
        List<Boolean> e = new ArrayList<>();
        plan.sessions().forEach((id, st) -> {
            if (!st.rowChanged) return;
            s.add(id);
            a.add(st.agentId);
            e.add(st.ended);
        });
        List<GroupPlan.Row> rows = plan.rows();
        var events = new EventColumns(rows.size());
        for (GroupPlan.Row r : rows) events.add(r.position(), r.event(), r.version(), r.payloadJson());
        try (PreparedStatement ps = c.prepareStatement(WRITE_GROUP)) {
            ps.setArray(1, c.createArrayOf("text", s.toArray()));
            ps.setArray(2, c.createArrayOf("text", a.toArray()));
            ps.setArray(3, c.createArrayOf("boolean", e.toArray()));
            int next = events.bind(ps, 4);
            ps.setLong(next, plan.lastPosition());
            ps.execute();
        }
        return plan.lastPosition();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : threads) LockSupport.unpark(t);
        try {
            for (Thread t : threads) t.join(java.time.Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
