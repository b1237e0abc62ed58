package io.sigil.postgres;

import io.sigil.config.Settings;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own on the shared test PostgreSQL (localhost:5432, user postgres, trust; .ci/run starts it),
 * with a unique name, migrated, dropped on close. Other engineers' tests use the same server: never touch
 * anything but this database.
 */
public final class TestDatabase implements AutoCloseable {
    public static final String SERVER = System.getProperty("sigil.test.postgres", "jdbc:postgresql://localhost:5432/");

    private final String name;
    private final DatabaseUrl url;
    private final PostgresDatabase database;

    private TestDatabase(String name, Settings.Database settings) {
        this.name = name;
        this.url = new DatabaseUrl(SERVER + name, "postgres", null);
        admin("CREATE DATABASE " + name);
        this.database = new PostgresDatabase(url, settings);
        database.migrate();
    }

    public static TestDatabase create(String purpose) {
        return create(purpose, small());
    }

    public static TestDatabase create(String purpose, Settings.Database settings) {
        String name = "sigil_test_" + purpose.toLowerCase(Locale.ROOT) + "_" + UUID.randomUUID().toString().substring(0, 8);
        return new TestDatabase(name, settings);
    }

    /** Pool settings for tests: a few connections, quick timeouts, no TLS. */
    public static Settings.Database small() {
        return new Settings.Database(2, 6, Duration.ofSeconds(5), Duration.ofSeconds(1800), true, "disable", null);
    }

    public PostgresDatabase database() { return database; }

    public DatabaseUrl url() { return url; }

    public String name() { return name; }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL at " + SERVER + " (start it: .ci/run does): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        database.close();
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
