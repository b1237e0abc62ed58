package io.sigil.server;

import io.sigil.auth.ApiKeys;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@code openai} npm client, unmodified, against a whole Sigil server with the offline test model: a
 * node script ({@code openai/openai-node-client.mjs}) lists models, runs plain, streamed, json_schema and
 * tool-calling completions and checks that 401, 404, 400 and 429 come out as the client's own error classes. The
 * package is installed from the npm registry at a pinned version into a cache directory ({@code .ci/run} does it
 * ahead; this test does it when missing). Skipped only when node or npm is absent.
 */
class OpenAiNpmClientTest {
    /** The newest 6.x: 7.x requires Node.js 22 and Debian's node is 20. */
    static final String VERSION = "6.49.0";
    static final List<String> CHECKS = List.of("models", "plain completion", "streamed completion",
            "json_schema completion", "client tool call round trip", "authentication error",
            "not found and bad request errors", "rate limit error");

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"),
                "node and npm are not installed: the openai npm client test needs them (apt-get install nodejs npm)");
        server = TestServer.full(dir, TestServer.Options.defaults().testModel());
        assertThat(server.post("/agents", server.token(Scope.AGENTS_WRITE), OpenAiJavaClientTest.HELPER).statusCode())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void theOfficialNodeClientTalksToASigilAgent() throws Exception {
        Path npm = installed();
        ApiKeys.Created key = server.keys.create("node-client", Set.of(Scope.RUNS_EXECUTE), 10_000, null);
        ApiKeys.Created limited = server.keys.create("node-limited", Set.of(Scope.RUNS_EXECUTE), 2, null);
        Path script = dir.resolve("openai-node-client.mjs");
        try (InputStream in = getClass().getResourceAsStream("/openai/openai-node-client.mjs")) {
            Files.copy(in, script);
        }
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).redirectErrorStream(true);
        pb.environment().put("OPENAI_NPM_DIR", npm.toString());
        pb.environment().put("OPENAI_BASE_URL", "http://127.0.0.1:" + server.server().port() + "/v1");
        pb.environment().put("SIGIL_KEY", key.plaintext());
        pb.environment().put("SIGIL_LIMITED_KEY", limited.plaintext());
        pb.environment().remove("OPENAI_API_KEY"); // the script passes its keys explicitly; nothing else may leak in
        Process node = pb.start();
        String output;
        try (InputStream out = node.getInputStream()) {
            boolean ended = node.waitFor(120, TimeUnit.SECONDS);
            if (!ended) node.destroyForcibly();
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ended).as("the node client finished within 120 s; output so far:\n" + output).isTrue();
        }
        assertThat(node.exitValue()).as(output).isZero();
        for (String check : CHECKS) assertThat(output).as(output).contains("ok " + check + "\n");
    }

    /** The package's directory, installing it when missing (a failing install fails the test: it is not optional). */
    static synchronized Path installed() throws IOException, InterruptedException {
        String configured = System.getenv("SIGIL_TEST_NPM_OPENAI_DIR");
        Path npm = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "sigil-test-npm-openai");
        Path manifest = npm.resolve("node_modules/openai/package.json");
        if (Files.isRegularFile(manifest) && Files.readString(manifest).contains("\"version\": \"" + VERSION + "\"")) {
            return npm;
        }
        Files.createDirectories(npm);
        if (!Files.exists(npm.resolve("package.json"))) {
            Files.writeString(npm.resolve("package.json"), "{\"name\": \"sigil-test-npm-openai\", \"private\": true}\n");
        }
        Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
                npm.toString(), "openai@" + VERSION).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("npm install openai@" + VERSION + " into " + npm + " failed; run .ci/run"
                    + " or that npm install with network access:\n" + log);
        }
        return npm;
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, command))) return true;
        }
        return false;
    }
}
