package io.sigil.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps new event positions above every stored one (and every deleted one, which readers may have stepped over). A position is {@code ((xid8 + xid_offset) << 13) + i} (V10), so
 * it follows the database cluster's transaction ids; a dump restored into another cluster, whose ids start lower,
 * would otherwise number new events before old ones, and readers by position would never see them. Checked when an
 * event store opens and when its watch reconnects (a restore goes with an outage); the offset only grows.
 */
final class PositionBase {
    private static final String BEHIND = """
            SELECT GREATEST(deleted_upto, (SELECT COALESCE(max(position), 0) FROM events)) >> 13
                   >= pg_snapshot_xmax(pg_current_snapshot())::text::bigint + xid_offset
            FROM event_store_head WHERE id = 1""";
    /** Under the lock every writer and deletion takes, so no group numbered with the old offset is still open. */
    private static final String RAISE = """
            LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE;
            UPDATE event_store_head SET xid_offset = GREATEST(xid_offset,
                GREATEST(deleted_upto, (SELECT COALESCE(max(position), 0) FROM events)) / 8192 + 1
                - pg_current_xact_id()::text::bigint)
            WHERE id = 1""";

    private PositionBase() { }

    /** Raises the offset when the stored positions reach what new transactions would be numbered; true when it did. */
    static boolean ensureAbove(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(BEHIND)) {
            if (!rs.next() || !rs.getBoolean(1)) return false;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute(RAISE);
            c.commit();
            return true;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
