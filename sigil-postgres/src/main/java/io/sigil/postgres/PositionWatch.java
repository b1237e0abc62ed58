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
 * Knows the newest readable position of a change log, from every process that writes it: each append
 * transaction sends {@code NOTIFY <channel>, '<last position>'} at commit ({@code sigil_events} for events,
 * {@code sigil_memory} for memory), and this watch LISTENs on a
 * connection of its own (not from the pool). A lost connection is reopened with backoff and followed by a read
 * of the head (catch-up by position), so a notification missed during an outage delays nothing for long;
 * waiters also wake on their timeout and re-read by position.
 * <p>Memory changes are committed one after the other, so a notified position is readable at once. Event groups
 * commit in parallel (V10): a notified position may still wait behind an older open writer, so for events a
 * notification is only a hint. While someone waits and a hinted position is not yet readable, the watch re-reads
 * the readable head (below the read horizon), at once and then with a growing pause while nothing moves.
 */
final class PositionWatch implements AutoCloseable {
    static final String CHANNEL = "sigil_events";
    /** Pauses between re-reads of the readable head while a hinted position waits behind an open writer. */
    private static final int FIRST_RECHECK_MILLIS = 1, LAST_RECHECK_MILLIS = 100;
    private static final Logger log = LoggerFactory.getLogger(PositionWatch.class);

    private final PostgresDatabase db;
    private final String channel;
    private final String headQuery;
    private final boolean hints;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile long known;
    /** The highest position notified or committed here; for a hints watch, perhaps not yet readable. */
    private volatile long hinted;
    private volatile int waiters;
    private volatile boolean listening;
    private volatile boolean closed;
    private volatile Connection connection;

    /** The event store's watch: notifications are hints, the readable head is read ({@code initial}: readable now). */
    static PositionWatch events(PostgresDatabase db, long initial) {
        return new PositionWatch(db, initial, CHANNEL, PostgresEventStore.READABLE_HEAD, "sigil-pg-listen", true);
    }

    /** A watch of {@code channel} whose notified positions are readable, reading the head with {@code headQuery}
     *  (one row, one bigint) after reconnecting. */
    PositionWatch(PostgresDatabase db, long initial, String channel, String headQuery, String threadName) {
        this(db, initial, channel, headQuery, threadName, false);
    }

    private PositionWatch(PostgresDatabase db, long initial, String channel, String headQuery, String threadName, boolean hints) {
        this.db = db;
        this.channel = channel;
        this.headQuery = headQuery;
        this.hints = hints;
        this.known = initial;
        this.hinted = initial;
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

    /** Records a position this process committed: readable at once, unless notifications are hints. */
    void committed(long position) {
        if (hints) hinted = Math.max(hinted, position);
        else advance(position);
    }

    long known() { return known; }

    /** Whether the LISTEN connection is up (for health and {@code /debug/state}). */
    boolean listening() { return listening; }

    /** Waits until a position after {@code position} is known committed or the timeout passes. */
    boolean await(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            waiters++;
            try {
                while (known <= position && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    signal.wait(Math.max(1, left / 1_000_000));
                }
            } finally {
                waiters--;
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
                if (hints) PositionBase.ensureAbove(c); // the database may have been restored meanwhile
                advance(readHead(c, headQuery)); // catch up on what was committed while not listening
                PGConnection pg = c.unwrap(PGConnection.class);
                int recheck = FIRST_RECHECK_MILLIS;
                while (!closed) {
                    // A hints watch looks for new waiters every 50 ms: one that came while a hinted position
                    // was not yet readable is served by the re-read below, not by a notification.
                    boolean behind = hints && hinted > known && waiters > 0;
                    PGNotification[] batch = pg.getNotifications(behind ? recheck : hints ? 50 : 1000);
                    if (batch != null) {
                        for (PGNotification n : batch) {
                            if (hints) hinted = Math.max(hinted, parse(n.getParameter()));
                            else advance(parse(n.getParameter()));
                        }
                    }
                    if (hints && hinted > known && waiters > 0) {
                        long before = known;
                        advance(readHead(c, headQuery));
                        recheck = known > before ? FIRST_RECHECK_MILLIS : Math.min(LAST_RECHECK_MILLIS, recheck * 2);
                    }
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
