package io.sigil.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code sigil serve} process (this JVM's classpath's {@code io.sigil.cli.Main}, so the caller needs
 * sigil-server on it) on a fixed free port, configured only by its environment (inherited SIGIL_ and provider
 * variables removed), in a working directory of its own. For live tests and the scale-out benchmark.
 */
public final class SigilReplica implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int port;
    private final Path dir;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    public SigilReplica(String name, Path dir, Map<String, String> env) throws IOException {
        this.name = name;
        this.dir = dir;
        this.env = env;
        this.port = freePort();
        Files.createDirectories(dir);
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String url() { return "http://127.0.0.1:" + port; }

    /** Starts the process and waits until {@code /health/ready} answers 200. */
    public SigilReplica start() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.sigil.cli.Main", "serve", "--port", Integer.toString(port),
                "--shutdown-timeout", "5s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("replica.log").toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGIL_") || k.endsWith("_API_KEY") || k.endsWith("_BASE_URL")
                || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().putAll(env);
        process = pb.start();
        starts++;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException(name + " exited " + process.exitValue() + ": " + log());
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return this;
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " not ready within 120 s: " + log());
    }

    /** SIGKILL: no shutdown hook, no drain, connections cut. */
    public void kill9() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean alive() { return process != null && process.isAlive(); }

    public String log() {
        try {
            String all = Files.readString(dir.resolve("replica.log"));
            return all.length() > 6000 ? all.substring(all.length() - 6000) : all;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
