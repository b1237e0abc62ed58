package io.sigil.postgres;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;
import io.sigil.events.AppendOption;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.StreamInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The event store on PostgreSQL ({@code events}, {@code sessions}, {@code event_store_head}; migrations V1, V9,
 * V10), for several processes sharing one database. Appends go through a {@link GroupCommitter} (one transaction
 * per group of concurrent appends, acknowledged after commit; groups commit in parallel); a session's reads are
 * plain queries of committed rows; reads by global position stop at the read horizon ({@code sigil_event_horizon()},
 * V10: below it no open writer can still commit), so they see positions in order with none left behind;
 * subscriptions wait on a {@link PositionWatch} (LISTEN/NOTIFY) and catch up by position. Passes the same
 * conformance suite as the file store. The store does not own the database: close the {@link PostgresDatabase} after it.
 */
public final class PostgresEventStore implements EventStore {
    /**
     * A session in version order straight from its (session_id, version) index. Left to itself the planner picks a
     * bitmap scan and sorts the rows, payloads and all: 2-3x the server time for a 10,000-event session (measured,
     * docs/benchmarks.md). SET LOCAL lasts for this implicit transaction only (both statements go in one round
     * trip), so the pooled connection keeps its settings.
     */
    private static final String READ_SESSION = "SET LOCAL enable_sort = off; SELECT " + EventRows.COLUMNS
            + " FROM events WHERE session_id = ? AND version >= ? ORDER BY version";
    private static final String READ_ALL = "SELECT " + EventRows.COLUMNS
            + " FROM events WHERE position >= ? AND position < (SELECT sigil_event_horizon()) ORDER BY position LIMIT ?";
    /**
     * The last position below the read horizon, 0 when none: the last event a reader by position can see now, or a
     * later position a deletion removed (so that a subscription steps over the gap, as on the file store).
     */
    static final String READABLE_HEAD = """
            SELECT GREATEST((SELECT COALESCE(max(position), 0) FROM events WHERE position < h.x), LEAST(d.deleted_upto, h.x - 1))
            FROM (SELECT sigil_event_horizon() AS x) h, event_store_head d WHERE d.id = 1""";

    private final PostgresDatabase db;
    private final int maxEventsPerSession;
    private final EventRows rows = new EventRows();
    private final GroupCommitter committer;
    private final PositionWatch watch;
    private volatile boolean closed;

    private PostgresEventStore(PostgresDatabase db, int maxEventsPerSession, long head, long generation) {
        this.db = db;
        this.maxEventsPerSession = maxEventsPerSession;
        this.watch = PositionWatch.events(db, head);
        this.committer = new GroupCommitter(db, maxEventsPerSession, generation, watch::committed);
    }

    /**
     * Opens the store over a migrated database. A database that cannot be reached is not an error here: the
     * store starts, requests fail with a recoverable {@link StateError} (503) until it is back.
     */
    public static PostgresEventStore open(PostgresDatabase db, int maxEventsPerSession) {
        if (maxEventsPerSession < 1) {
            throw new InvalidInputError("max_events_per_session must be at least 1, got " + maxEventsPerSession,
                    "set SIGIL_STATE_MAX_EVENTS_PER_SESSION to a positive number (default 10000)");
        }
        long head = 0; // without a database the watch catches up once it is reachable
        long generation = SessionVersions.UNKNOWN_GENERATION; // and the first group learns it under the table lock
        try (Connection c = db.dataSource().getConnection()) {
            PositionBase.ensureAbove(c);
            try (var st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT generation, (" + READABLE_HEAD + ") FROM event_store_head WHERE id = 1")) {
                if (rs.next()) {
                    generation = rs.getLong(1);
                    head = rs.getLong(2);
                }
            }
        } catch (SQLException e) {
            // as above
        }
        return new PostgresEventStore(db, maxEventsPerSession, head, generation);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public AppendResult append(String sessionId, ExpectedVersion expected, List<Event> events, AppendOption... options) {
        Event.checkBatch(sessionId, events);
        if (events.size() > GroupCommitter.MAX_GROUP_EVENTS) {
            throw new InvalidInputError("an append to the PostgreSQL event store holds at most "
                    + GroupCommitter.MAX_GROUP_EVENTS + " events, got " + events.size(),
                    "split the events into appends of at most " + GroupCommitter.MAX_GROUP_EVENTS + " (one transaction each)");
        }
        String[] payloads = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            payloads[i] = rows.payloadJson(e);
        }
        checkOpen();
        var done = new PendingAppend();
        committer.submit(new AppendRequest(sessionId, expected, List.copyOf(events), payloads,
                Arrays.asList(options).contains(AppendOption.ADMIN_OVERRIDE), done));
        return done.await();
    }

    @Override
    public boolean delete(String sessionId) {
        Event.checkSessionId(sessionId);
        checkOpen();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            // waits for the appends in flight and holds new ones back (they lock events ROW EXCLUSIVE); the generation
            // tells processes that write without reading that a session they remember may be gone (GuardedGroupWrite)
            try (PreparedStatement lock = c.prepareStatement("LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE; "
                    + "UPDATE event_store_head SET generation = generation + 1, deleted_upto = GREATEST(deleted_upto, "
                    + "(SELECT COALESCE(max(position), 0) FROM events WHERE session_id = ?)) WHERE id = 1");
                 PreparedStatement events = c.prepareStatement("DELETE FROM events WHERE session_id = ?");
                 PreparedStatement del = c.prepareStatement("DELETE FROM sessions WHERE session_id = ?")) {
                lock.setString(1, sessionId);
                lock.executeUpdate();
                events.setString(1, sessionId);
                events.executeUpdate();
                del.setString(1, sessionId);
                boolean deleted = del.executeUpdate() > 0;
                c.commit();
                return deleted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("delete session '" + sessionId + "'", e);
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public List<RecordedEvent> read(String sessionId, long fromVersion) {
        checkOpen();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(READ_SESSION)) {
            ps.setString(1, sessionId);
            ps.setLong(2, Math.max(1, fromVersion));
            ps.execute();
            ps.getMoreResults(); // past the SET
            return rows(ps.getResultSet());
        } catch (SQLException e) {
            throw SqlErrors.failed("read session '" + sessionId + "'", e);
        }
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxCount) {
        checkOpen();
        if (maxCount <= 0) return List.of();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(READ_ALL)) {
            ps.setLong(1, Math.max(1, fromPosition));
            ps.setInt(2, maxCount);
            return readRows(ps);
        } catch (SQLException e) {
            throw SqlErrors.failed("read events from position " + fromPosition, e);
        }
    }

    /** Reads every row in one go (autocommit: the driver fetches the whole result, no cursor round trips). */
    private List<RecordedEvent> readRows(PreparedStatement ps) throws SQLException {
        return rows(ps.executeQuery());
    }

    private List<RecordedEvent> rows(ResultSet result) throws SQLException {
        var out = new ArrayList<RecordedEvent>();
        try (ResultSet rs = result) {
            while (rs.next()) out.add(rows.read(rs));
        }
        return out;
    }

    @Override
    public long version(String sessionId) {
        checkOpen();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(max(version), 0) FROM events WHERE session_id = ?")) {
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("read the version of session '" + sessionId + "'", e);
        }
    }

    @Override
    public List<StreamInfo> sessions() {
        checkOpen();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                """
                SELECT s.session_id, COALESCE(e.version, 0), COALESCE(e.position, 0), s.ended_at IS NOT NULL FROM sessions s
                LEFT JOIN LATERAL (SELECT version, position FROM events WHERE session_id = s.session_id
                                   ORDER BY version DESC LIMIT 1) e ON true
                ORDER BY 3""")) {
            var out = new ArrayList<StreamInfo>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new StreamInfo(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4)));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed("list sessions", e);
        }
    }

    @Override
    public long lastPosition() {
        checkOpen();
        try (Connection c = db.connection()) {
            long head = PositionWatch.readHead(c, READABLE_HEAD);
            watch.advance(head);
            return head;
        } catch (SQLException e) {
            throw SqlErrors.failed("read the last event position", e);
        }
    }

    @Override
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        return watch.await(position, timeout);
    }

    /** Appends waiting for their group's commit (for {@code /debug/state}). */
    public int pendingAppends() { return committer.pending(); }

    /** Whether this process currently receives other processes' commits by LISTEN/NOTIFY. */
    public boolean listening() { return watch.listening(); }

    public PostgresDatabase database() { return db; }

    private void checkOpen() {
        if (closed) throw new StateError("the PostgreSQL event store is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        committer.close();
        watch.close();
    }
}
