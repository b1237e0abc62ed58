package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator console end to end in headless Chromium (Debian's {@code chromium}, driven by npm's
 * {@code playwright-core}, which {@code .ci/run} installs into {@code ~/.cache/sigil-test-npm-playwright}): log in,
 * the sessions list, a timeline full of hostile content (shown, never run), a live run streamed over the WebSocket,
 * approving a held tool call (the run resumes over the WebSocket), a memory search, health; then the read-only pages with JavaScript disabled. Any browser
 * console error fails the test. Screenshots go to {@code target/console-screenshots/}.
 *
 * <p>Skipped (with the reason) only where Chromium is not installed.
 */
class ConsoleBrowserIT {
    @TempDir
    Path dir;

    static Path chromium() {
        String configured = System.getenv("SIGIL_CHROMIUM");
        for (String candidate : configured != null ? List.of(configured) : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) return Path.of(candidate);
        }
        return null;
    }

    static Path playwright() {
        String configured = System.getenv("SIGIL_TEST_NPM_PLAYWRIGHT_DIR");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "sigil-test-npm-playwright");
    }

    @Test
    void anOperatorUsesTheConsoleInABrowser() throws Exception {
        Path chromium = chromium();
        Assumptions.assumeTrue(chromium != null, "Chromium is not installed (Debian: apt-get install chromium;"
                + " .ci/run installs it): the console browser test is skipped");
        assertThat(playwright().resolve("node_modules/playwright-core/package.json"))
                .as("playwright-core is missing; .ci/run installs it (npm install --prefix " + playwright()
                        + " playwright-core)").exists();

        TestServer.Options o = TestServer.Options.defaults().testModel();
        ConsoleFixture.seed(dir, o);
        try (TestServer server = TestServer.full(dir, o)) {
            String admin = server.tokenFor("root", Scope.ADMIN);
            HttpResponse<String> agent = server.post("/agents", admin, """
                    {"name": "console_helper", "description": "Answers briefly", "system_prompt": "You answer briefly.",
                     "model": "test"}""");
            assertThat(agent.statusCode()).as(agent.body()).isEqualTo(201);
            // A run that pauses for approval (docs/approvals.md): the offline model calls the tool the message
            // names, and the agent sets that tool to approval: always, so the call waits for a human.
            HttpResponse<String> ops = server.post("/agents", admin, """
                    {"name": "console_ops", "description": "Tells the time, with approval", "system_prompt": "You tell the time.",
                     "model": "test", "strategy": "react", "memory_enabled": false, "planning_enabled": false,
                     "tools": ["current_time"], "approval": {"current_time": "always"}}""");
            assertThat(ops.statusCode()).as(ops.body()).isEqualTo(201);
            String alice = server.tokenFor("alice", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
            HttpResponse<String> paused = server.post("/agents/console_ops/run", alice,
                    "{\"message\": \"Please use the current_time tool to tell me the time.\"}");
            assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
            assertThat(TestServer.json(paused).path("status").asText()).as(paused.body()).isEqualTo("awaiting_approval");
            String pausedRun = TestServer.json(paused).path("request_id").asText();
            HttpResponse<String> fact = server.send(server.request("/memory").timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + server.tokenFor("alice", Scope.MEMORY_WRITE))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"content\": \"Alice prefers tulips\", \"category\": \"preferences\"}")).build());
            assertThat(fact.statusCode()).as(fact.body()).isEqualTo(201);
            String key = ConsoleFixture.apiKey(server, "alice", ConsoleFixture.USER);

            Path out = Path.of("target", "console-screenshots").toAbsolutePath();
            Files.createDirectories(out);
            Path script = dir.resolve("e2e.mjs");
            try (var in = ConsoleBrowserIT.class.getResourceAsStream("/console/e2e.mjs")) {
                Files.write(script, in.readAllBytes());
            }
            ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
            pb.environment().put("PLAYWRIGHT_DIR", playwright().toString());
            pb.environment().put("CHROMIUM", chromium.toString());
            pb.environment().put("BASE_URL", "http://127.0.0.1:" + server.server().port());
            pb.environment().put("API_KEY", key);
            pb.environment().put("OUT_DIR", out.toString());
            pb.environment().put("SESSION_ID", ConsoleFixture.ALICE_SESSION);
            pb.environment().put("AGENT", "console_helper");
            pb.environment().put("APPROVE", "1");
            pb.environment().put("APPROVE_TOOL", "current_time");
            Process p = pb.start();
            byte[] output;
            try (var stdout = p.getInputStream()) {
                output = stdout.readAllBytes();
            }
            boolean exited = p.waitFor(5, TimeUnit.MINUTES);
            if (!exited) p.destroyForcibly();
            String text = new String(output, StandardCharsets.UTF_8);
            assertThat(exited).as("the browser script ended: " + text).isTrue();
            String last = text.lines().filter(l -> l.startsWith("{\"ok\"")).reduce((a, b) -> b).orElse("");
            assertThat(last).as("the browser script's result line; output:\n" + text).isNotEmpty();
            JsonNode result = TestServer.JSON.readTree(last);
            assertThat(result.path("ok").asBoolean()).as(result.toPrettyString()).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(result.path("errors")).as("browser console errors").isEmpty();
            assertThat(result.path("checks").size()).isGreaterThan(20);
            // The decision taken in the browser is recorded, and the run went on past the held call.
            JsonNode decided = TestServer.json(server.getWithBearer("/runs/" + pausedRun + "/approvals", alice));
            assertThat(decided.path("items").get(0).path("status").asText()).as(decided.toPrettyString()).isEqualTo("approved");
            assertThat(decided.path("items").get(0).path("decision").path("by").asText()).isEqualTo("alice");
            for (String shot : List.of("sessions", "timeline", "live", "approvals", "approved", "memory", "health",
                    "timeline-nojs")) {
                assertThat(out.resolve(shot + ".png")).as(shot).exists().isNotEmptyFile();
            }
        }
    }

}
