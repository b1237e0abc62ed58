package io.sigil.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Databases of a test's own on the shared test PostgreSQL (localhost:5432, user postgres, trust), with unique names
 * of a given prefix; {@link #close} drops them. Never touches anything else on the server.
 */
final class TestDatabases implements AutoCloseable {
    static final String SERVER = System.getProperty("sigil.test.postgres", "jdbc:postgresql://localhost:5432/");
    private final String prefix;
    private final List<String> created = new ArrayList<>();

    TestDatabases(String prefix) { this.prefix = prefix; }

    /** Creates a database and returns its name. */
    String create() throws SQLException {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + name);
        created.add(name);
        return name;
    }

    /** The DATABASE_URL of {@code name} in the guide's form. */
    static String url(String name) { return "postgresql://postgres@localhost:5432/" + name + "?sslmode=disable"; }

    /** The first column of the first row of {@code sql} in {@code database}. */
    static long count(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + database + "?sslmode=disable", "postgres", null);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        for (String d : created) admin("DROP DATABASE IF EXISTS " + d + " WITH (FORCE)");
    }
}
