package io.sigil.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, for fault tests that stop and start it: initdb in a temporary directory,
 * started with pg_ctl on a free port, run as the {@code postgres} user (PostgreSQL refuses to run as root). The
 * machine's shared server on 5432 is never touched. Needs the binaries of /usr/lib/postgresql/15/bin (Debian's
 * postgresql-15 package; .ci/run installs it) and, when running as root, {@code runuser}.
 */
public final class PrivatePostgres implements AutoCloseable {
    public static final Path BIN = Path.of(System.getProperty("sigil.test.pg_bin", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final Path data;
    private final int port;

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    /** Creates the cluster (trust authentication, fsync on) and starts it. */
    public static PrivatePostgres start() throws IOException, InterruptedException {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new IllegalStateException("PostgreSQL binaries not found in " + BIN
                    + ": install postgresql-15 (.ci/run does) or set -Dsigil.test.pg_bin");
        }
        Path dir = Files.createTempDirectory("sigil-private-pg-");
        chownToPostgres(dir);
        var pg = new PrivatePostgres(dir, freePort());
        pg.run(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
                "--no-instructions", "-E", "UTF8");
        pg.startServer();
        return pg;
    }

    public int port() { return port; }

    /** The JDBC URL of a database on this server. */
    public String jdbcUrl(String database) { return "jdbc:postgresql://localhost:" + port + "/" + database + "?sslmode=disable"; }

    /** The guide's URL form of a database on this server. */
    public String url(String database) { return "postgresql://postgres@localhost:" + port + "/" + database + "?sslmode=disable"; }

    public void createDatabase(String name) throws IOException, InterruptedException {
        run(BIN.resolve("createdb").toString(), "-h", "localhost", "-p", Integer.toString(port), "-U", "postgres", name);
    }

    /** Starts the server (again) and waits until it accepts connections. */
    public void startServer() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=localhost -c max_connections=100"
                        + " -c synchronous_commit=on -c fsync=on", "start");
    }

    /** Stops the server as a crash would: {@code pg_ctl stop -m immediate} (no checkpoint, clients cut off). */
    public void crash() throws IOException, InterruptedException {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(out));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void chownToPostgres(Path dir) throws IOException, InterruptedException {
        if (!isRoot()) return;
        Process p = new ProcessBuilder("chown", "postgres:postgres", dir.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException("cannot chown " + dir + " to postgres");
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            crash();
        } catch (IOException alreadyStopped) {
            // stopped by the test
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
