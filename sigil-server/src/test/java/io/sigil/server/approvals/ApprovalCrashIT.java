package io.sigil.server.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import org.junit.jupiter.api.AfterEach;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durable human approval across a real crash: {@code sigil serve} runs in a child JVM, a run pauses at a call of
 * {@code append_line} (a side effect counted as lines in a file), the process is killed with SIGKILL, and a new
 * process over the same state takes the decision: the run completes, the tool ran exactly once (approve) or never
 * (deny, and the denial reaches the model), and an approval nobody decides in time ends its run.
 */
class ApprovalCrashIT {
    private static final String SECRET = "it-secret-hitl-0123456789-abcdefghijklmnopqrstuvwxyz";
    private static final String PG = System.getProperty("sigil.test.postgres.admin", "jdbc:postgresql://localhost:5432/postgres");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGENT = """
            {"name": "ops_logger", "description": "Writes to the operator log", "system_prompt": "You keep the log.",
             "model": "test", "strategy": "react", "memory_enabled": false, "planning_enabled": false,
             "tools": ["append_line"], "side_effect_tools": ["append_line"]}""";
    private static final String ASK = "{\"message\": \"Please use the append_line tool to note the deploy.\"}";

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private String database;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JwtSigner signer = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC());

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        if (database != null) {
            try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** A running {@code sigil serve} and its base URL. */
    private record Server(Process process, String base) { }

    private Server serve(Map<String, String> env) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.sigil.cli.Main",
                "serve", "--host", "127.0.0.1", "--port", "0", "--shutdown-timeout", "5s");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(dir.resolve("serve-"
                + processes.size() + ".err").toFile());
        Map<String, String> e = new HashMap<>(Map.of("SIGIL_JWT_SECRET", SECRET, "SIGIL_LLM__MODEL", "test",
                "SIGIL_USE_MEMORY", "false", AppendLineToolSource.FILE_ENV, lines().toString()));
        e.putAll(env);
        pb.environment().putAll(e);
        Process p = pb.start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("startup line (stderr in %s)", dir).isNotNull().contains("listening on http://127.0.0.1:");
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
        assertThat(port.find()).isTrue();
        Thread.ofVirtual().start(() -> drain(out)); // keep the child's stdout from filling up
        return new Server(p, "http://127.0.0.1:" + port.group(1));
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) { /* discard */ }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    private Path lines() { return dir.resolve("side-effects.log"); }

    private List<String> sideEffects() throws IOException {
        return Files.exists(lines()) ? Files.readAllLines(lines()) : List.of();
    }

    private String token(String subject) {
        return signer.mint(subject, Set.of(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ, Scope.AGENTS_WRITE),
                Duration.ofMinutes(30), null, null);
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException { return JSON.readTree(r.body()); }

    /** Creates the agent and runs it until it pauses; returns the paused run's response. */
    private JsonNode pausedRun(Server s, String alice) throws Exception {
        HttpResponse<String> created = send("POST", s.base() + "/agents", alice, AGENT);
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        HttpResponse<String> run = send("POST", s.base() + "/agents/ops_logger/run", alice, ASK);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        JsonNode paused = json(run);
        assertThat(paused.get("status").asText()).as(run.body()).isEqualTo("awaiting_approval");
        assertThat(paused.at("/metadata/approvals/0/tool").asText()).isEqualTo("append_line");
        assertThat(sideEffects()).as("nothing ran before the decision").isEmpty();
        return paused;
    }

    private static void kill9(Server s) throws InterruptedException {
        s.process().destroyForcibly(); // SIGKILL: no shutdown hook, no drain
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process().exitValue()).isEqualTo(137);
    }

    @Test
    void onPostgresAnApprovalGrantedAfterAKill9RunsTheToolExactlyOnce() throws Exception {
        database = "sigil_hitl_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(PG, "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }
        Map<String, String> pg = Map.of("SIGIL_STATE__BACKEND", "postgres",
                "SIGIL_SERVICES__DATABASE_URL", "postgresql://postgres@localhost:5432/" + database,
                "SIGIL_DATABASE__POOL_SIZE", "2", "SIGIL_DATABASE__MAX_OVERFLOW", "1", "SIGIL_DATABASE__SSL_MODE", "disable");
        String alice = token("alice");
        Server first = serve(pg);
        JsonNode paused = pausedRun(first, alice);
        String run = paused.get("request_id").asText();
        String call = paused.at("/metadata/approvals/0/call_id").asText();
        kill9(first);

        Server second = serve(pg); // another process (a replica, or the same one restarted) on the same database
        HttpResponse<String> pending = send("GET", second.base() + "/approvals", alice, null);
        assertThat(pending.statusCode()).isEqualTo(200);
        assertThat(json(pending).at("/items/0/run_id").asText()).as(pending.body()).isEqualTo(run);
        HttpResponse<String> mallory = send("GET", second.base() + "/runs/" + run + "/approvals", token("mallory"), null);
        assertThat(mallory.statusCode()).as("another user's run is not found").isEqualTo(404);

        HttpResponse<String> decided = send("POST", second.base() + "/runs/" + run + "/approvals/" + call, alice,
                "{\"decision\": \"approve\", \"arguments\": {\"text\": \"deploy 42 done\"}}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        JsonNode body = json(decided);
        assertThat(body.at("/approval/status").asText()).isEqualTo("approved");
        assertThat(body.at("/run/status").asText()).as(decided.body()).isEqualTo("success");
        assertThat(body.at("/run/request_id").asText()).isEqualTo(run);
        assertThat(body.at("/run/answer").asText()).as("the model got the tool's result").contains("append_line returned");
        assertThat(sideEffects()).as("the tool ran exactly once, with the approved arguments").containsExactly("deploy 42 done");

        HttpResponse<String> again = send("POST", second.base() + "/runs/" + run + "/approvals/" + call, alice,
                "{\"decision\": \"approve\"}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        kill9(second);
        Server third = serve(pg); // and after yet another crash nothing runs again
        HttpResponse<String> events = send("GET", third.base() + "/sessions/" + paused.get("session_id").asText()
                + "/events?limit=200", alice, null);
        assertThat(events.body()).contains("approval.requested").contains("approval.granted");
        assertThat(sideEffects()).hasSize(1);
    }

    @Test
    void onTheFileStoreADenialAfterAKill9ReachesTheModelAndNothingRuns() throws Exception {
        String alice = token("alice");
        Server first = serve(Map.of());
        JsonNode paused = pausedRun(first, alice);
        String run = paused.get("request_id").asText();
        String call = paused.at("/metadata/approvals/0/call_id").asText();
        kill9(first);

        Server second = serve(Map.of());
        HttpResponse<String> decided = send("POST", second.base() + "/runs/" + run + "/approvals/" + call, alice,
                "{\"decision\": \"deny\", \"reason\": \"no deploy notes on Fridays\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        JsonNode body = json(decided);
        assertThat(body.at("/approval/status").asText()).isEqualTo("denied");
        assertThat(body.at("/run/status").asText()).isEqualTo("success");
        // The offline model reports the call's result as failed; the recorded result is the denial with its reason.
        assertThat(body.at("/run/answer").asText()).as("the model got the denial as the call's result")
                .contains("append_line failed");
        JsonNode events = json(send("GET", second.base() + "/sessions/" + paused.get("session_id").asText()
                + "/events?type=tool.called", alice, null));
        assertThat(events.at("/items/0/payload/denied").asBoolean()).as(events.toString()).isTrue();
        assertThat(events.at("/items/0/payload/result").asText()).contains("denied").contains("no deploy notes on Fridays");
        assertThat(sideEffects()).isEmpty();
    }

    @Test
    void anApprovalNobodyDecidesExpiresAndEndsItsRun() throws Exception {
        String alice = token("alice");
        Server s = serve(Map.of("SIGIL_APPROVAL_EXPIRY", "2s"));
        JsonNode paused = pausedRun(s, alice);
        String run = paused.get("request_id").asText();
        String call = paused.at("/metadata/approvals/0/call_id").asText();
        // The sweep (every second for this expiry) records the expiry and the run's end without anyone asking.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status;
        do {
            Thread.sleep(500);
            status = json(send("GET", s.base() + "/runs/" + run + "/approvals", alice, null)).at("/items/0/status").asText();
        } while (!status.equals("expired") && System.nanoTime() < deadline);
        assertThat(status).isEqualTo("expired");
        String events;
        do {
            Thread.sleep(300);
            events = send("GET", s.base() + "/sessions/" + paused.get("session_id").asText() + "/events?limit=200",
                    alice, null).body();
        } while (!events.contains("approval.expired") && System.nanoTime() < deadline);
        assertThat(events).contains("approval.expired").contains("[APPROVAL_EXPIRED]");
        HttpResponse<String> late = send("POST", s.base() + "/runs/" + run + "/approvals/" + call, alice,
                "{\"decision\": \"approve\"}");
        assertThat(late.statusCode()).as(late.body()).isEqualTo(410);
        assertThat(json(late).get("code").asText()).isEqualTo("APPROVAL_EXPIRED");
        assertThat(sideEffects()).isEmpty();
    }
}
