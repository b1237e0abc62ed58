package io.sigil.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtSigner;
import io.sigil.auth.Scope;
import io.sigil.fakes.FakeOpenAiServer;
import io.sigil.fakes.FakeReply;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An optimisation cut short by a real crash: {@code sigil serve} runs in a child JVM against a local server speaking
 * the OpenAI protocol (answers slowed so the job is caught mid-way; the answers of {@link EvolutionWireTest}), the
 * job is started over REST, the process is killed with SIGKILL after its first generation, and a new process over
 * the same data directory resumes the job at start-up: it ends {@code completed} with the improved prompt, and its
 * generations are not run twice.
 */
class OptimizationCrashIT {
    private static final String SECRET = "it-secret-evolve-0123456789-abcdefghijklmnopqrstuvwxyz";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final JwtSigner signer = new JwtSigner(HmacKey.of(SECRET), Clock.systemUTC());

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    private record Server(Process process, String base) { }

    private Server serve(String llmUrl) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.sigil.cli.Main",
                "serve", "--host", "127.0.0.1", "--port", "0", "--shutdown-timeout", "5s");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectError(dir.resolve("serve-" + processes.size() + ".err").toFile());
        pb.environment().putAll(Map.of("SIGIL_JWT_SECRET", SECRET, "SIGIL_USE_MEMORY", "false",
                "SIGIL_RATE_LIMIT_PER_MINUTE", "100000",
                "SIGIL_USE_EVOLUTION", "true", "SIGIL_LLM__MODEL", "openai:some-model",
                "SIGIL_LLM__OPENAI_BASE_URL", llmUrl, "SIGIL_LLM__OPENAI_API_KEY", "test-key"));
        Process p = pb.start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("startup line (stderr in %s)", dir).isNotNull().contains("listening on http://127.0.0.1:");
        Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(line);
        assertThat(port.find()).isTrue();
        Thread.ofVirtual().start(() -> {
            try {
                while (out.readLine() != null) { /* discard: keep the child's stdout from filling up */ }
            } catch (IOException ignored) {
                // the process is gone
            }
        });
        return new Server(p, "http://127.0.0.1:" + port.group(1));
    }

    private HttpResponse<String> send(String method, String url, String body) throws Exception {
        String token = signer.mint("alice", Set.of(Scope.AGENTS_READ, Scope.AGENTS_WRITE, Scope.SESSIONS_READ),
                Duration.ofMinutes(30), null, null);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (body != null) b.header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the job until {@code until} holds for it (60 s at most). */
    private JsonNode poll(Server s, String path, java.util.function.Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode job = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send("GET", s.base() + path, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            job = JSON.readTree(r.body());
            if (until.test(job)) return job;
            Thread.sleep(200);
        }
        throw new AssertionError("the job never reached the expected state: " + job);
    }

    @Test
    void aJobKilledMidWayIsResumedByTheNextStartAndCompletes() throws Exception {
        try (var fixture = new EvolutionFixture(dir, 6); FakeOpenAiServer llm = new FakeOpenAiServer()) {
            fixture.close(); // only its files (agent, contract, cases): the servers keep their own state
            Files.writeString(dir.resolve("agents/qualifier.yaml"), "name: qualifier\ndescription: Qualifies leads\n"
                    + "strategy: direct\ncontract_name: lead_brief\nmodel: openai:some-model\nsystem_prompt: "
                    + EvolutionFixture.quote(EvolutionFixture.PROMPT) + "\n");
            llm.respondWith(r -> FakeReply.slow(Duration.ofMillis(60), EvolutionWireTest.answer(r)));
            Server first = serve(llm.baseUrl());
            HttpResponse<String> started = send("POST", first.base() + "/agents/qualifier/evolution/optimize",
                    "{\"generations\": 3, \"beam_width\": 2, \"reflective\": 1, \"mutations\": 1, \"repeats\": 2,"
                            + " \"concurrency\": 1, \"token_budget\": 1000000}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String id = JSON.readTree(started.body()).path("job_id").asText();
            String path = "/agents/qualifier/evolution/jobs/" + id;
            JsonNode mid = poll(first, path, j -> j.path("generation").asInt() >= 1 || !j.path("status").asText().equals("running"));
            assertThat(mid.path("status").asText()).as("caught mid-way: %s", mid).isEqualTo("running");

            first.process().destroyForcibly(); // SIGKILL: no shutdown hook
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            int doneBeforeKill = mid.path("generation").asInt();

            Server second = serve(llm.baseUrl());
            JsonNode done = poll(second, path, j -> !j.path("status").asText().equals("running"));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("completed");
            assertThat(done.path("node").asText()).isNotEqualTo(mid.path("node").asText());
            assertThat(done.path("result").path("status").asText()).isEqualTo("improved");
            assertThat(Files.readString(dir.resolve("agents/qualifier.yaml"))).contains("timeline");

            HttpResponse<String> events = send("GET", second.base() + "/sessions/" + id + "/events?type=evolution.generation&limit=100", null);
            List<Integer> generations = new ArrayList<>();
            JSON.readTree(events.body()).path("items").forEach(e -> generations.add(e.path("payload").path("generation").asInt()));
            assertThat(generations).as("resumed after generation %d, none run twice", doneBeforeKill)
                    .doesNotHaveDuplicates().startsWith(0).contains(doneBeforeKill);
            assertThat(Files.readString(dir.resolve("serve-1.err"))).contains("Optimisation job " + id)
                    .contains("resumed from generation");
        }
    }
}
