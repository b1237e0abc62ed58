package io.sigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What a live scale-out test or benchmark shares between its {@link SigilReplica}s: a temporary directory, a new
 * database on the machine's PostgreSQL (localhost:5432, trust; dropped on close) and a {@link PrivateRedis}. The
 * replicas' common environment comes from {@link #env}; callers add or override what they need.
 */
public final class ClusterScratch implements AutoCloseable {
    private static final String ADMIN_JDBC = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&sslmode=disable";

    private final Path dir;
    private final String database;
    private final PrivateRedis redis;

    private ClusterScratch(Path dir, String database, PrivateRedis redis) {
        this.dir = dir;
        this.database = database;
        this.redis = redis;
    }

    /** @param prefix of the database's name (the owner's name, so that leftovers are recognisable) */
    public static ClusterScratch create(String prefix) throws IOException, InterruptedException, SQLException {
        Path dir = Files.createTempDirectory(prefix.replace('_', '-'));
        String database = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (var c = DriverManager.getConnection(ADMIN_JDBC)) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }
        try {
            return new ClusterScratch(dir, database, PrivateRedis.start(dir.resolve("redis")));
        } catch (IOException | InterruptedException | RuntimeException e) {
            drop(database);
            throw e;
        }
    }

    public Path dir() { return dir; }

    public String database() { return database; }

    public PrivateRedis redis() { return redis; }

    /** The database's URL as {@code DATABASE_URL} takes it. */
    public String databaseUrl() { return "postgresql://postgres@127.0.0.1:5432/" + database + "?sslmode=disable"; }

    /** JDBC URL of the database, for the test's own checks. */
    public String jdbcUrl() { return "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres&sslmode=disable"; }

    /**
     * A replica's environment: state (and memory) in the database, Redis, the JWT secret, the offline test model,
     * memory off, limits out of the way, loopback only, and a state directory of the replica's own.
     */
    public Map<String, String> env(String replica, String jwtSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("SIGIL_STATE_BACKEND", "postgres");
        env.put("DATABASE_URL", databaseUrl());
        env.put("SIGIL_DATABASE_SSL_MODE", "disable");
        env.put("SIGIL_DATABASE_POOL_SIZE", "4");
        env.put("REDIS_URL", redis.url());
        env.put("SIGIL_JWT_SECRET", jwtSecret);
        env.put("SIGIL_LLM_MODEL", "test");
        env.put("SIGIL_USE_MEMORY", "false");
        env.put("SIGIL_RATE_LIMIT_PER_MINUTE", "1000000");
        env.put("SIGIL_API_HOST", "127.0.0.1");
        env.put("SIGIL_STATE_DATA_DIR", dir.resolve(replica).resolve("state").toString());
        return env;
    }

    /** Stops Redis, drops the database (closing what is still connected) and deletes the directory. */
    @Override
    public void close() throws Exception {
        try {
            redis.close();
        } finally {
            drop(database);
            deleteTree(dir);
        }
    }

    private static void drop(String database) throws SQLException {
        try (var c = DriverManager.getConnection(ADMIN_JDBC)) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Deletes a directory and everything in it (best effort: a file still open elsewhere stays). */
    public static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
