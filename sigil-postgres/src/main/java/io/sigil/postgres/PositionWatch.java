package io.sigil.postgres;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Knows the newest committed position of a change log, from every process that writes it: each append
 * transaction sends {@code NOTIFY <channel>, '<last position>'} at commit ({@code sigil_events} for events,
 * {@code sigil_memory} for memory), and this watch LISTENs on a
 * connection of its own (not from the pool). A lost connection is reopened with backoff and followed by a read
 * of the head (catch-up by position), so a notification missed during an outage delays nothing for long;
 * waiters also wake on their timeout and re-read by position.
 */
final class PositionWatch implements AutoCloseable {
    static final String CHANNEL = "sigil_events";
    private static final String EVENT_HEAD = "SELECT last_position FROM event_store_head WHERE id = 1";
    private static final Logger log = LoggerFactory.getLogger(PositionWatch.class);

    private final PostgresDatabase db;
    private final String channel;
    private final String headQuery;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile long known;
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile Connection connection;

    /** The event store's watch. */
    PositionWatch(PostgresDatabase db, long initial) {
        this(db, initial, CHANNEL, EVENT_HEAD, "sigil-pg-listen");
    }

    /** A watch of {@code channel}, reading the head with {@code headQuery} (one row, one bigint) after reconnecting. */
    PositionWatch(PostgresDatabase db, long initial, String channel, String headQuery, String threadName) {
        this.db = db;
        this.channel = channel;
        this.headQuery = headQuery;
        this.known = initial;
        this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
    }

    /** Records a position this process committed or read. */
    void advance(long position) {
        if (position <= known) return;
        synchronized (signal) {
            if (position > known) {
                known = position;
                signal.notifyAll();
            }
        }
    }

    long known() { return known; }

    /** Whether the LISTEN connection is up (for health and {@code /debug/state}). */
    boolean listening() { return listening; }

    /** Waits until a position after {@code position} is known committed or the timeout passes. */
    boolean await(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (known <= position && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                signal.wait(Math.max(1, left / 1_000_000));
            }
        }
        return known > position;
    }

    private void run() {
        long backoff = 100;
        while (!closed) {
            try (Connection c = db.dedicatedConnection(); Statement st = c.createStatement()) {
                connection = c;
                st.execute("LISTEN " + channel);
                if (backoff > 100) log.info("{} notifications from PostgreSQL resumed", channel);
                listening = true;
                backoff = 100;
                advance(readHead(c, headQuery)); // catch up on what was committed while not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] batch = pg.getNotifications(1000);
                    if (batch == null) continue;
                    for (PGNotification n : batch) advance(parse(n.getParameter()));
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) break;
                // Say it once per outage; the retries are routine until the database is back.
                if (backoff == 100) log.warn("{} notifications from PostgreSQL interrupted ({}); reconnecting", channel, firstLine(e.getMessage()));
                else log.debug("still no PostgreSQL connection for notifications: {}", firstLine(e.getMessage()));
                sleep(backoff);
                backoff = Math.min(2_000, backoff * 2);
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "no message";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static long parse(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** The head as read by a fresh query (used by the watch after reconnecting). */
    static long readHead(Connection c) throws SQLException {
        return readHead(c, EVENT_HEAD);
    }

    static long readHead(Connection c, String headQuery) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(headQuery)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
