package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledged means stored, on a real full disk: the state directory is a 4 MiB tmpfs, mostly taken by a filler
 * file. Runs are answered 200 while their events fit, then 507 [STATE_ERROR]; /health turns unhealthy with the
 * reason and healthy again, without a restart, once the filler is deleted; and after a restart every run that was
 * answered 200 is there with its answer. Needs root to mount (CI runs as root); skipped, saying so, elsewhere.
 */
class DiskFullIT {
    @TempDir
    Path dir;
    Path mount;
    boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        mount = Files.createDirectories(dir.resolve("state"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean done = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(done, "Skipped: cannot mount a 4 MiB tmpfs here (mount needs root; CI runs as root): " + out);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        // Lazily: a file the stopped server's JVM still has open (a daemon thread finishing) must not keep it mounted.
        if (mounted) new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }

    private Settings settings() {
        Settings s = TestServer.settings(dir, TestServer.Options.defaults().testModel());
        return new Settings(s.environment(), s.debug(), new Settings.Features(false, false, false, false, true),
                s.llm(), s.memory(), s.contracts(), new Settings.State(mount, 10_000, "file"), s.api(), s.security(),
                s.logging(), s.telemetry(), s.routing(), s.agents(), s.tools(), s.services());
    }

    @Test
    void noRunAnswered2xxIsLostAndHealthTurnsUnhealthyAndBack() throws Exception {
        // Leave about 400 KiB for the log: the event store reserves nothing ahead below its 1 MiB margin.
        Path filler = mount.resolve("filler");
        fill(filler, Files.getFileStore(mount).getUsableSpace() - (400 << 10));
        List<String> acknowledged = new ArrayList<>();
        String message = "remember this: " + "lorem ipsum dolor sit amet ".repeat(100); // ~3 KB, fits the prompt budget
        HttpResponse<String> refused = null;
        try (TestServer server = new TestServer(settings(), TestServer.Options.defaults().testModel(), null)) {
            String token = server.tokenFor("alice", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
            String admin = server.tokenFor("root", Scope.ADMIN);
            assertThat(server.post("/agents", admin, """
                    {"name": "scribe", "description": "Writes", "system_prompt": "You write.", "model": "test"}""")
                    .statusCode()).isEqualTo(201);
            for (int i = 0; i < 200 && refused == null; i++) {
                HttpResponse<String> r = server.post("/agents/scribe/run", token,
                        TestServer.JSON.writeValueAsString(java.util.Map.of("message", message + i)));
                if (r.statusCode() == 200) {
                    assertThat(TestServer.json(r).path("status").asText()).as(r.body()).isEqualTo("success");
                    acknowledged.add(TestServer.json(r).path("session_id").asText());
                } else {
                    refused = r;
                }
            }
            assertThat(refused).as("the disk should fill up within 200 runs").isNotNull();
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
            assertThat(refused.body()).contains("STATE_ERROR");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(acknowledged).isNotEmpty();

            // /health reuses its report for up to a second (HealthEndpoint): the full disk shows within that.
            long staleUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            HttpResponse<String> health = server.get("/health");
            while (health.statusCode() == 200 && System.nanoTime() < staleUntil) {
                Thread.sleep(200);
                health = server.get("/health");
            }
            assertThat(health.statusCode()).isEqualTo(503);
            JsonNode store = TestServer.json(health).path("checks").path("event_store");
            assertThat(store.path("status").asText()).isEqualTo("unhealthy");
            assertThat(store.path("detail").asText()).contains("no space left");
            // Reads go on while writes are refused.
            assertThat(server.getWithBearer("/sessions/" + acknowledged.getFirst(), token).statusCode()).isEqualTo(200);

            Files.delete(filler); // space is freed: the store accepts writes again by itself
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!TestServer.json(server.get("/health")).path("checks").path("event_store").path("status").asText()
                    .equals("healthy")) {
                assertThat(System.nanoTime()).as("health recovers without a restart").isLessThan(deadline);
                Thread.sleep(100);
            }
            HttpResponse<String> again = server.post("/agents/scribe/run", token, "{\"message\": \"after the cleanup\"}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            acknowledged.add(TestServer.json(again).path("session_id").asText());
        }

        try (TestServer restarted = new TestServer(settings(), TestServer.Options.defaults().testModel(), null)) {
            String token = restarted.tokenFor("alice", Scope.SESSIONS_READ);
            for (String id : acknowledged) {
                HttpResponse<String> s = restarted.getWithBearer("/sessions/" + id, token);
                assertThat(s.statusCode()).as("acknowledged session " + id + " after a restart").isEqualTo(200);
                JsonNode messages = TestServer.json(s).path("messages");
                assertThat(messages.size()).isEqualTo(2);
                assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
            }
        }
    }

    @Test
    void theMemoryLogAndTheKeyFileRefuseWritesOnAFullDiskAndKeepWhatTheyAcknowledged() throws Exception {
        Settings s = settings();
        Settings onTmpfs = new Settings(s.environment(), s.debug(), s.features(), s.llm(),
                new Settings.Memory(mount.resolve("memory"), s.memory().embeddingModel(), s.memory().embeddingBaseUrl(),
                        s.memory().retrievalK(), s.memory().hybridThreshold(), s.memory().consolidationThreshold(),
                        s.memory().indexRefreshMs()),
                s.contracts(), s.state(), s.api(), s.security(), s.logging(), s.telemetry(), s.routing(), s.agents(),
                s.tools(), s.services());
        Path filler = mount.resolve("filler");
        List<String> remembered = new ArrayList<>();
        String key;
        try (TestServer server = new TestServer(onTmpfs, TestServer.Options.defaults().testModel(), null)) {
            String token = server.tokenFor("alice", Scope.MEMORY_READ, Scope.MEMORY_WRITE);
            var kept = server.keys.create("ops", java.util.Set.of(Scope.SESSIONS_READ), 100, null);
            key = kept.plaintext();
            // The first memory request loads the embedding model: slow on a busy machine.
            HttpResponse<String> first = server.send(server.request("/memory").timeout(Duration.ofMinutes(3))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"content\": \"warm-up fact zero\"}")).build());
            assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
            remembered.add("warm-up fact zero");
            fill(filler, Math.max(0, Files.getFileStore(mount).getUsableSpace() - (300 << 10)));
            HttpResponse<String> refused = null;
            for (int i = 0; i < 400 && refused == null; i++) {
                String fact = "fact number " + i + " " + "padding ".repeat(1_000);
                HttpResponse<String> r = server.post("/memory", token,
                        TestServer.JSON.writeValueAsString(java.util.Map.of("content", fact, "category", "facts")));
                if (r.statusCode() == 201) remembered.add("fact number " + i + " ");
                else refused = r;
            }
            assertThat(refused).as("the memory log should fill the disk within 400 writes").isNotNull();
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(507);
            // The key file is replaced atomically: the change is refused, the existing keys stay in force.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.keys.create("more", java.util.Set.of(), 100, null))
                    .isInstanceOf(io.sigil.errors.StorageFullError.class);
            assertThat(server.send(server.request("/sessions").header("X-API-Key", key).GET().build()).statusCode())
                    .isEqualTo(200);
            assertThat(memoryIndexHealth(server, "unhealthy")).as("/health reports the full disk").isEqualTo("unhealthy");

            // Space returns: the same process takes memory writes again (Lucene's writer, closed by the failed
            // write, is reopened and the write-ahead log replayed); meanwhile a write is refused with 507 or 503,
            // never a 500.
            Files.delete(filler);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            HttpResponse<String> resumed;
            do {
                resumed = server.post("/memory", token, "{\"content\": \"written after space returned\"}");
                assertThat(resumed.statusCode()).as(resumed.body()).isIn(201, 503, 507);
                if (resumed.statusCode() != 201) Thread.sleep(250);
            } while (resumed.statusCode() != 201 && System.nanoTime() < deadline);
            assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(201);
            remembered.add("written after space returned");
            assertThat(memoryIndexHealth(server, "healthy")).isEqualTo("healthy");
            for (String fact : List.of(remembered.getFirst(), remembered.get(remembered.size() - 2), remembered.getLast())) {
                HttpResponse<String> r = server.post("/memory/search", token,
                        TestServer.JSON.writeValueAsString(java.util.Map.of("query", fact, "mode", "keyword", "k", 50)));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).as("acknowledged memory '" + fact + "' without a restart").contains(fact.strip());
            }
        }
        // Everything acknowledged is there after a restart too (the write-ahead log kept every write).
        try (TestServer restarted = new TestServer(onTmpfs, TestServer.Options.defaults().testModel(), null)) {
            String token = restarted.tokenFor("alice", Scope.MEMORY_READ, Scope.MEMORY_WRITE);
            HttpResponse<String> after = restarted.send(restarted.request("/memory").timeout(Duration.ofMinutes(3))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"content\": \"after the cleanup\"}")).build());
            assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
            for (String fact : List.of(remembered.getFirst(), remembered.getLast(), "after the cleanup")) {
                HttpResponse<String> r = restarted.post("/memory/search", token,
                        TestServer.JSON.writeValueAsString(java.util.Map.of("query", fact, "mode", "keyword", "k", 50)));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).as("acknowledged memory '" + fact + "' after a restart").contains(fact.strip());
            }
            assertThat(restarted.send(restarted.request("/sessions").header("X-API-Key", key).GET().build())
                    .statusCode()).isEqualTo(200);
        }
    }

    /** The memory_index check's status once it reads {@code wanted} (the report may be a second stale), or the last. */
    private static String memoryIndexHealth(TestServer server, String wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String status;
        do {
            status = TestServer.JSON.readTree(server.get("/health").body()).at("/checks/memory_index/status").asText();
            if (!status.equals(wanted)) Thread.sleep(200);
        } while (!status.equals(wanted) && System.nanoTime() < deadline);
        return status;
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
            }
        }
    }
}
