package io.sigil.server.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Dockerfile builds, without Docker: runs deploy/assemble-runtime.sh (on the jar this build packaged), then
 * starts the assembled launcher as the image would, on an ephemeral port with its own directories, health-checks it
 * and stops it with SIGTERM, expecting a graceful exit.
 */
class SigilRuntimeImageIT {
    @TempDir
    Path work;

    @Test
    void assembledRuntimeStartsServesHealthAndStopsGracefully() throws Exception {
        Path out = Path.of("target", "sigil-runtime-it").toAbsolutePath();
        ProcessRunner.run(DeployFiles.root(), 1_200,
                List.of("bash", "deploy/assemble-runtime.sh", "--no-build", out.toString())).ok("assemble-runtime.sh");
        assertThat(out.resolve("runtime/bin/java")).isExecutable();
        List<String> modules = Files.readAllLines(out.resolve("MODULES"));
        assertThat(modules).contains("java.base", "java.net.http", "jdk.crypto.ec", "jdk.incubator.vector").doesNotContain("jdk.jshell", "java.se");
        Path secret = work.resolve("jwt");
        Files.writeString(secret, "a-jwt-secret-read-from-a-file-0123456789abcdef");

        ProcessBuilder pb = new ProcessBuilder(out.resolve("bin/sigil").toString(), "serve", "--host", "127.0.0.1", "--port", "0")
                .directory(work.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SIGIL_") || k.endsWith("_API_KEY"));
        pb.environment().putAll(java.util.Map.of(
                "SIGIL_ENVIRONMENT", "production",
                "SIGIL_JWT_SECRET_FILE", secret.toString(),
                "SIGIL_LLM_MODEL", "test",
                "SIGIL_STATE_DATA_DIR", work.resolve("data/state").toString(),
                "SIGIL_MEMORY_DATA_DIR", work.resolve("data/memory").toString(),
                "SIGIL_LOG_FILE", work.resolve("logs/sigil.log").toString(),
                "SIGIL_API_SHUTDOWN_GRACE_SECONDS", "5"));
        Process server = pb.start();
        try {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            int port = -1;
            Pattern listening = Pattern.compile("Sigil API listening on http://127\\.0\\.0\\.1:(\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            for (String line; port < 0 && System.nanoTime() < deadline && (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher m = listening.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertThat(port).as("the server's output:\n" + seen).isPositive();
            assertThat(seen.toString()).as("serve runs with the Vector API (Lucene's SIMD vector search)")
                    .contains("Using incubator modules: jdk.incubator.vector");
            Thread.ofVirtual().start(() -> drain(lines));

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThat(get(http, port, "/health/live")).isEqualTo("200 {\"status\":\"live\"}");
            assertThat(get(http, port, "/health/ready")).startsWith("200 {\"status\":\"ready\"");
            assertThat(get(http, port, "/health")).startsWith("200 ").contains("\"state\":{\"status\":\"healthy\"");

            server.toHandle().destroy(); // SIGTERM, as docker stop and the kubelet send
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(server.exitValue()).as("graceful exit: the JVM ran its shutdown hook").isIn(0, 143);
            assertThat(Files.readString(work.resolve("logs/sigil.log"))).contains("Sigil API stopped");
        } finally {
            server.destroyForcibly();
        }
    }

    private static String get(HttpClient http, int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    private static void drain(java.io.BufferedReader lines) {
        try {
            while (lines.readLine() != null) { /* keep the pipe flowing */ }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
