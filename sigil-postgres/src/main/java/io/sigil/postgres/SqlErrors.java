package io.sigil.postgres;

import io.sigil.errors.StateError;

import java.sql.SQLException;
import java.util.Map;

/**
 * How PostgreSQL failures reach users: one {@link StateError} saying what could not be done, on which database
 * (password never shown) and what to check. Connection failures are recoverable (HTTP 503: retry later; the
 * pool reconnects by itself when the database is back).
 */
final class SqlErrors {
    private SqlErrors() { }

    static StateError unavailable(String action, DatabaseUrl url, SQLException e) {
        return new StateError("cannot " + action + " at " + url.jdbcUrl().replaceAll("\\?.*", "") + ": " + reason(e),
                "check that PostgreSQL is running and reachable (DATABASE_URL); Sigil reconnects by itself",
                Map.of("sql_state", e.getSQLState() == null ? "" : e.getSQLState()), true, e);
    }

    static StateError failed(String action, SQLException e) {
        boolean connection = e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("57P"));
        boolean noSchema = "42P01".equals(e.getSQLState()); // undefined table
        return new StateError("PostgreSQL failed to " + action + ": " + reason(e),
                connection ? "the database connection was lost; retry (appends are idempotent by event id)"
                        : noSchema ? "the schema is missing or old: run 'sigil db migrate'" : "check the PostgreSQL server log",
                Map.of("sql_state", e.getSQLState() == null ? "" : e.getSQLState()), connection, e);
    }

    static StateError migrationFailed(String action, DatabaseUrl url, RuntimeException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        boolean connection = root instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08");
        return new StateError("cannot " + action + " the schema of " + url.jdbcUrl().replaceAll("\\?.*", "") + ": "
                + firstLine(root.getMessage() == null ? e.getMessage() : root.getMessage()),
                connection ? "check that PostgreSQL is running and reachable (DATABASE_URL)"
                        : "run 'sigil db info' to see the applied and pending migrations",
                Map.of(), connection, e);
    }

    private static String reason(SQLException e) {
        return firstLine(e.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
