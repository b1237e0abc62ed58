package io.sigil.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The state of {@code memory_changes} the projections depend on (V6__memory_change_trim.sql): the database's
 * identity, how far the log was trimmed and its head; and the trimming itself.
 */
final class MemoryChangeLog {
    private MemoryChangeLog() { }

    /** Where the log stands: positions after {@code trimmedThrough} up to {@code head} are all present. */
    record State(String databaseId, long trimmedThrough, long head) { }

    /**
     * How much of the log to keep: changes younger than {@code maxAge}, and at least the newest {@code keepLatest};
     * a change outside both is deleted. Trimming runs every {@code every} in each process that follows the log.
     */
    record Retention(Duration maxAge, long keepLatest, Duration every) {
        static final Retention DEFAULTS = new Retention(Duration.ofDays(7), 1_000_000, Duration.ofMinutes(10));

        Retention {
            if (maxAge.isNegative() || keepLatest < 0) throw new IllegalArgumentException("retention must not be negative");
        }
    }

    /** What one trim did: the log now starts after {@code trimmedThrough}. */
    record Trimmed(long deleted, long trimmedThrough) { }

    static State read(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT database_id::text, trimmed_through, (" + MemoryProjection.HEAD + ") FROM memory_change_log_state")) {
            if (!rs.next()) throw new SQLException("memory_change_log_state has no row (run 'sigil db migrate')");
            return new State(rs.getString(1), rs.getLong(2), rs.getLong(3));
        }
    }

    static State read(PostgresDatabase db) {
        try (Connection c = db.connection()) {
            return read(c);
        } catch (SQLException e) {
            throw SqlErrors.failed("read the memory change log's state", e);
        }
    }

    static long trimmedThrough(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT trimmed_through FROM memory_change_log_state")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * Deletes the changes {@code retention} lets go, and records the new start in the same transaction, so that a
     * projection that reads a page and then {@link #trimmedThrough} knows whether the page may miss changes.
     */
    static Trimmed trim(PostgresDatabase db, Retention retention) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                long through;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT LEAST(
                            COALESCE((SELECT MAX(position) FROM memory_changes
                                      WHERE changed_at < NOW() - make_interval(secs => ?)), 0),
                            (SELECT COALESCE(MAX(position), 0) FROM memory_changes) - ?)""")) {
                    ps.setDouble(1, retention.maxAge().toMillis() / 1000.0);
                    ps.setLong(2, retention.keepLatest());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        through = rs.getLong(1);
                    }
                }
                long deleted = 0;
                long current;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT trimmed_through FROM memory_change_log_state FOR UPDATE")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        current = rs.getLong(1);
                    }
                }
                if (through > current) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM memory_changes WHERE position <= ?")) {
                        ps.setLong(1, through);
                        deleted = ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE memory_change_log_state SET trimmed_through = ?, trimmed_at = NOW()")) {
                        ps.setLong(1, through);
                        ps.executeUpdate();
                    }
                    current = through;
                }
                c.commit();
                return new Trimmed(deleted, current);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("trim the memory change log", e);
        }
    }
}
