package io.sigil.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands as users run them: a child JVM per command, working in a temporary directory (the default state
 * directory is ./data/state relative to it).
 */
class ServeAndKeysCommandIT {
    @TempDir
    Path workDir;

    record Run(int exit, String out, String err) { }

    private Process start(String... args) throws IOException {
        return start(java.util.Map.of(), args);
    }

    private Process start(java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "io.sigil.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Reads the startup line and returns the port the server listens on. */
    private static String port(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("startup line").isNotNull().contains("listening on http://127.0.0.1:");
        Matcher port = Pattern.compile(":(\\d+)").matcher(line.substring(line.indexOf("127.0.0.1")));
        assertThat(port.find()).isTrue();
        return port.group(1);
    }

    private Run run(String... args) throws Exception {
        Process p = start(args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void keysCreateListRevoke() throws Exception {
        Run created = run("keys", "create", "--name", "ci-bot", "--scopes", "agents:read,runs:execute", "--expires", "30d");
        assertThat(created.exit()).as(created.err()).isZero();
        String key = created.out().strip();
        assertThat(key).startsWith("sgk_");
        assertThat(created.err()).contains("only time the key is shown");
        String file = Files.readString(workDir.resolve("data/state/api-keys.json"));
        assertThat(file).contains("ci-bot").doesNotContain(key);

        Run list = run("keys", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("ci-bot").contains("active").contains("agents:read,runs:execute").doesNotContain(key);
        Matcher id = Pattern.compile("([0-9a-f-]{36})").matcher(list.out());
        assertThat(id.find()).isTrue();

        Run revoked = run("keys", "revoke", id.group(1));
        assertThat(revoked.exit()).isZero();
        assertThat(run("keys", "list").out()).contains("revoked");

        Run missing = run("keys", "revoke", "no-such-id");
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.err()).startsWith("[NOT_FOUND]").contains("sigil keys list");

        Run badScope = run("keys", "create", "--name", "x", "--scopes", "agents:delete");
        assertThat(badScope.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badScope.err()).startsWith("[INVALID_INPUT]").contains("agents:delete");
    }

    @Test
    void tokenCreateWithoutASecretExplainsHowToSetOne() throws Exception {
        Run r = run("token", "create", "--sub", "alice", "--scopes", "agents:read", "--ttl", "1h");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("[CONFIG_ERROR]").contains("SIGIL_JWT_SECRET");
    }

    @Test
    void serveAnswersHealthAndStopsGracefullyOnSigterm() throws Exception {
        Process p = start("serve", "--host", "127.0.0.1", "--port", "0", "--shutdown-timeout", "5s");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("startup line").isNotNull().contains("listening on http://127.0.0.1:");
            Matcher port = Pattern.compile(":(\\d+)").matcher(line.substring(line.indexOf("127.0.0.1")));
            assertThat(port.find()).isTrue();
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            // No LLM key in a bare working directory: degraded, still 200.
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"degraded\"").contains("ANTHROPIC_API_KEY");
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermClosesAWebSocketWithGoingAwayAfterItsRunCompleted() throws Exception {
        String secret = "it-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
        Process p = start(java.util.Map.of("SIGIL_JWT_SECRET", secret, "SIGIL_LLM__MODEL", "test",
                "SIGIL_USE_MEMORY", "false"), "serve", "--host", "127.0.0.1", "--port", "0", "--shutdown-timeout", "5s");
        try {
            String port = port(p);
            String token = new io.sigil.auth.JwtSigner(io.sigil.auth.HmacKey.of(secret), java.time.Clock.systemUTC())
                    .mint("it", java.util.Set.of(io.sigil.auth.Scope.RUNS_EXECUTE), java.time.Duration.ofMinutes(5), null, null);
            java.util.concurrent.LinkedBlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
            java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/agents/research_assistant/run"),
                            new java.net.http.WebSocket.Listener() {
                                final StringBuilder partial = new StringBuilder();

                                @Override
                                public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w,
                                                                                       CharSequence data, boolean last) {
                                    partial.append(data);
                                    if (last) {
                                        messages.add(partial.toString());
                                        partial.setLength(0);
                                    }
                                    w.request(1);
                                    return null;
                                }

                                @Override
                                public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w,
                                                                                        int code, String reason) {
                                    closed.complete(code);
                                    return null;
                                }
                            }).get(10, TimeUnit.SECONDS);
            assertThat(messages.poll(10, TimeUnit.SECONDS)).contains("\"connection_ready\"");
            ws.sendText("{\"message\": \"Summarise what you know about solar power\"}", true).join();
            String m;
            do {
                m = messages.poll(30, TimeUnit.SECONDS);
                assertThat(m).as("a message before complete").isNotNull();
            } while (!m.contains("\"type\":\"complete\""));

            p.destroy(); // SIGTERM: the idle connection is closed with 1001 (going away) after the drain
            assertThat(closed.get(30, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
        } finally {
            p.destroyForcibly();
        }
    }
}
