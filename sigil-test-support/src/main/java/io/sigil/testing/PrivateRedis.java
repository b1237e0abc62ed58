package io.sigil.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A redis-server of a test's own on a free port (no persistence, a temporary directory), for tests that stop and
 * start Redis; the machine's shared Redis on 6379 is never touched. {@link #stop()} and {@link #start()} may be
 * called repeatedly; the port stays the same.
 */
public final class PrivateRedis implements AutoCloseable {
    private final String binary;
    private final Path dir;
    private final int port;
    private Process process;

    private PrivateRedis(String binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /** Whether redis-server can be run here (tests skip with a message otherwise). */
    public static boolean available() { return findBinary() != null; }

    public static PrivateRedis start(Path dir) throws IOException, InterruptedException {
        String bin = findBinary();
        if (bin == null) throw new IllegalStateException("redis-server not found: install Debian's redis-server (.ci/run does)");
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrivateRedis r = new PrivateRedis(bin, dir, port);
        r.start();
        return r;
    }

    private static String findBinary() {
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }

    public int port() { return port; }

    public String url() { return "redis://127.0.0.1:" + port + "/0"; }

    /** Starts the server and waits until it answers PING. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) return;
        process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ping()) {
            if (!process.isAlive()) throw new IOException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            if (System.nanoTime() > deadline) throw new IOException("redis-server did not answer within 20 s");
            Thread.sleep(50);
        }
    }

    /** Kills the server (SIGKILL: connections drop at once, as in a crash). */
    public synchronized void stop() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** PING over a plain socket. */
    public boolean ping() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
