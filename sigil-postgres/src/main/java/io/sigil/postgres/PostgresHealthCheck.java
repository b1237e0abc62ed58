package io.sigil.postgres;

import io.sigil.health.HealthCheck;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code database} in {@code /health} when state lives in PostgreSQL: the database answers (on a connection of
 * the check's own with a short timeout, so a check never waits {@code pool_timeout} behind requests), the schema
 * is at the version this build expects, and the pool is not exhausted. Critical: without the database no request
 * that touches state can succeed.
 */
public final class PostgresHealthCheck implements HealthCheck {
    private static final int TIMEOUT_SECONDS = 2;

    private final PostgresDatabase db;
    private final String expectedVersion;
    private Connection connection; // guarded by this

    public PostgresHealthCheck(PostgresDatabase db) {
        this.db = db;
        this.expectedVersion = db.expectedSchemaVersion();
    }

    @Override
    public String name() { return "database"; }

    @Override
    public boolean critical() { return true; }

    @Override
    public synchronized Result check() {
        String version;
        try {
            version = schemaVersion();
        } catch (SQLException e) {
            closeConnection();
            return Result.unhealthy("PostgreSQL does not answer at " + db.url().jdbcUrl().replaceAll("\\?.*", "")
                    + ": " + firstLine(e.getMessage()));
        }
        PostgresDatabase.PoolStats pool = db.poolStats();
        String poolText = "pool " + pool.active() + " active, " + pool.idle() + " idle of " + pool.maximum()
                + (pool.waiting() > 0 ? ", " + pool.waiting() + " waiting" : "");
        if (version == null || !version.equals(expectedVersion)) {
            return Result.unhealthy("schema version " + (version == null ? "none" : version) + ", this build needs "
                    + expectedVersion + " (run 'sigil db migrate')");
        }
        if (pool.waiting() > 0 && pool.total() >= pool.maximum()) {
            return Result.degraded("PostgreSQL up, schema version " + version + "; " + poolText + " (pool exhausted)");
        }
        return Result.healthy("PostgreSQL up, schema version " + version + "; " + poolText);
    }

    private String schemaVersion() throws SQLException {
        if (connection == null || connection.isClosed()) connection = db.dedicatedConnection(TIMEOUT_SECONDS);
        try (Statement st = connection.createStatement()) {
            st.setQueryTimeout(TIMEOUT_SECONDS);
            try (ResultSet rs = st.executeQuery("SELECT version FROM sigil_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank DESC LIMIT 1")) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return null; // no history table: never migrated
            throw e;
        }
    }

    private void closeConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // broken anyway
        }
        connection = null;
    }

    private static String firstLine(String s) {
        if (s == null) return "no answer";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
