package io.sigil.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.sigil.config.Settings;
import io.sigil.errors.StateError;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Sigil's PostgreSQL database: the HikariCP pool (guide 11.3: {@code pool_size} connections kept, up to
 * {@code max_overflow} more, {@code pool_timeout} to get one, {@code pool_recycle} lifetime) and the Flyway
 * migrations of the schema ({@code db/migration}). Opening does not connect: the pool starts empty and a database
 * that is down fails the first request with a 503, not the process.
 */
public final class PostgresDatabase implements AutoCloseable {
    private final DatabaseUrl url;
    private final Settings.Database settings;
    private final HikariDataSource pool;
    private final Flyway flyway;

    public PostgresDatabase(DatabaseUrl url, Settings.Database settings) {
        this.url = url;
        this.settings = settings;
        HikariConfig c = new HikariConfig();
        c.setPoolName("sigil-postgres");
        c.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) c.setUsername(url.user());
        if (url.password() != null) c.setPassword(url.password());
        connectionProperties().forEach((k, v) -> c.addDataSourceProperty((String) k, v));
        c.setMinimumIdle(settings.poolSize());
        c.setMaximumPoolSize(settings.poolSize() + settings.maxOverflow());
        c.setConnectionTimeout(settings.poolTimeout().toMillis());
        c.setMaxLifetime(settings.poolRecycle().toMillis());
        c.setIdleTimeout(Math.min(600_000, Math.max(10_000, settings.poolRecycle().toMillis() / 2)));
        c.setInitializationFailTimeout(-1); // start even when the database is down; requests fail with 503 meanwhile
        this.pool = new HikariDataSource(c);
        this.flyway = Flyway.configure(PostgresDatabase.class.getClassLoader())
                .dataSource(pool)
                .locations("classpath:db/migration")
                .table("sigil_schema_history")
                .baselineOnMigrate(false)
                .load();
    }

    /** Opens the database of {@code services.database_url} with the {@code database.*} settings. */
    public static PostgresDatabase fromSettings(Settings settings) {
        return new PostgresDatabase(DatabaseUrl.parse(settings.services().databaseUrl()), settings.services().database());
    }

    /** Driver properties: TLS as configured (a {@code sslmode} in the URL wins), and a name in pg_stat_activity. */
    private Properties connectionProperties() {
        var p = new Properties();
        p.setProperty("ApplicationName", "sigil");
        if (!url.jdbcUrl().toLowerCase(java.util.Locale.ROOT).contains("sslmode=")) p.setProperty("sslmode", settings.sslMode());
        if (settings.sslRootCert() != null) p.setProperty("sslrootcert", settings.sslRootCert().toString());
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    public DataSource dataSource() { return pool; }

    public DatabaseUrl url() { return url; }

    /** The {@code database.*} settings it was opened with. */
    public Settings.Database settings() { return settings; }

    /** A pooled connection, or a recoverable {@link StateError} (503) when the database cannot be reached. */
    public Connection connection() {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw SqlErrors.unavailable("connect to PostgreSQL", url, e);
        }
    }

    /**
     * A connection outside the pool, held for a long time (the LISTEN connection of event subscriptions), so it
     * never takes a pooled connection from requests.
     */
    public Connection dedicatedConnection() throws SQLException {
        return dedicatedConnection(Math.max(1, settings.poolTimeout().toSeconds()));
    }

    /** A connection outside the pool that gives up connecting or reading after {@code timeoutSeconds}. */
    public Connection dedicatedConnection(long timeoutSeconds) throws SQLException {
        Properties p = connectionProperties();
        if (url.user() != null) p.setProperty("user", url.user());
        if (url.password() != null) p.setProperty("password", url.password());
        p.setProperty("connectTimeout", Long.toString(timeoutSeconds));
        p.setProperty("loginTimeout", Long.toString(timeoutSeconds));
        return DriverManager.getConnection(url.jdbcUrl(), p);
    }

    // ---------------------------------------------------------------- schema

    /** Applies pending migrations; returns how many ran and the schema version after. */
    public MigrateResult migrate() {
        try {
            return flyway.migrate();
        } catch (RuntimeException e) {
            throw SqlErrors.migrationFailed("migrate", url, e);
        }
    }

    /** Every migration known to this build or applied to the database, with its state. */
    public List<MigrationInfo> info() {
        try {
            return Arrays.asList(flyway.info().all());
        } catch (RuntimeException e) {
            throw SqlErrors.migrationFailed("read the schema history of", url, e);
        }
    }

    /** Whether the applied migrations match this build's (no pending, changed or unknown ones). */
    public ValidateResult validate() {
        try {
            return flyway.validateWithResult();
        } catch (RuntimeException e) {
            throw SqlErrors.migrationFailed("validate", url, e);
        }
    }

    /** The schema version applied to the database, or null when none is. */
    public String schemaVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    }

    /** The newest schema version this build has a migration for. */
    public String expectedSchemaVersion() {
        MigrationInfo[] all = flyway.info().all();
        String newest = null;
        for (MigrationInfo m : all) if (m.getVersion() != null) newest = m.getVersion().getVersion();
        return newest;
    }

    /** Pool counters for health and {@code /debug/state}: active, idle, total, waiting, maximum. */
    public PoolStats poolStats() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) return new PoolStats(0, 0, 0, 0, pool.getMaximumPoolSize());
        return new PoolStats(mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
                mx.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
    }

    public record PoolStats(int active, int idle, int total, int waiting, int maximum) { }

    @Override
    public void close() {
        pool.close();
    }
}
