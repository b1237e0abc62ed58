package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.sigil.server.ContractsHttpTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** The evolution endpoints through the whole server with the offline test model (scenarios: EvolutionServiceTest). */
class EvolutionHttpTest {
    @TempDir
    Path dir;

    private TestServer server(boolean evolution) throws Exception {
        Files.createDirectories(dir.resolve("agents/greeter.evolution"));
        Files.writeString(dir.resolve("agents/greeter.yaml"), "name: greeter\ndescription: Greets\nmodel: test\n"
                + "system_prompt: You greet people politely and briefly.\n");
        Files.writeString(dir.resolve("agents/greeter.evolution/cases.yaml"), """
                - input: Hello there
                  expected: {contains: [offline test model]}
                - input: Good morning
                  expected: {contains: [offline test model]}
                - input: Hi
                  expected: {contains: [offline test model]}
                """);
        var o = TestServer.Options.defaults().testModel();
        Settings s = TestServer.settings(dir, o);
        Settings.Features f = s.features();
        Settings on = new Settings(s.environment(), s.debug(), new Settings.Features(f.memory(), f.planning(),
                f.contracts(), evolution, f.routing()), s.llm(), s.memory(), s.contracts(), s.state(), s.api(),
                s.security(), s.logging(), s.telemetry(), s.routing(), s.agents(), s.tools(), s.services());
        return new TestServer(on, o, null);
    }

    @Test
    void evaluateOptimizeVersionsAndTheirErrors() throws Exception {
        try (TestServer server = server(true)) {
            String write = server.token(Scope.AGENTS_WRITE);
            String read = server.token(Scope.AGENTS_READ);

            HttpResponse<String> evaluated = server.post("/agents/greeter/evolution/evaluate", write, "{\"repeats\": 2}");
            assertThat(evaluated.statusCode()).as(evaluated.body()).isEqualTo(200);
            JsonNode e = TestServer.json(evaluated);
            assertThat(e.path("pass_rate").asDouble()).isEqualTo(1.0);
            assertThat(e.path("confidence").asDouble()).isEqualTo(1.0);
            assertThat(e.path("cost").path("model_calls").asLong()).isEqualTo(6);
            assertThat(e.path("case_results")).hasSize(3);
            // The evaluation's session is the caller's (the same subject reads it), no one else's.
            String evaluation = e.path("evaluation_id").asText();
            assertThat(server.getWithBearer("/sessions/" + evaluation + "/events", server.token(Scope.SESSIONS_READ)).statusCode())
                    .isEqualTo(200);
            assertProblem(server.getWithBearer("/sessions/" + evaluation + "/events",
                    server.tokenFor("mallory", Scope.SESSIONS_READ)), 404);

            // Optimisation is a job: 202 at once with where to follow it. Nothing fails, so nothing can improve:
            // no_improvement with the reason, and the cost of trying.
            HttpResponse<String> started = server.post("/agents/greeter/evolution/optimize", write, "{\"generations\": 1}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            JsonNode job = TestServer.json(started);
            String id = job.path("job_id").asText();
            assertThat(job.path("status").asText()).isEqualTo("running");
            assertThat(job.path("optimization_id").asText()).isEqualTo(id);
            assertThat(started.headers().firstValue("Location")).contains("/agents/greeter/evolution/jobs/" + id);
            JsonNode r = awaitEnd(server, "/agents/greeter/evolution/jobs/" + id, read);
            assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("completed");
            assertThat(r.path("generations").asInt()).isEqualTo(1);
            assertThat(r.path("result").path("status").asText()).isEqualTo("no_improvement");
            assertThat(r.path("result").path("reason").asText()).contains("no candidate beat the current prompt");
            assertThat(r.path("result").path("cost").path("total_tokens").asLong()).isPositive();
            assertThat(server.getWithBearer("/sessions/" + id + "/events", server.token(Scope.ADMIN)).body())
                    .contains("evolution.started", "evolution.generation", "evolution.completed");
            // The job and its session are the caller's: another user sees neither.
            String mallory = server.tokenFor("mallory", Scope.AGENTS_READ, Scope.AGENTS_WRITE, Scope.SESSIONS_READ);
            assertProblem(server.getWithBearer("/agents/greeter/evolution/jobs/" + id, mallory), 404);
            assertProblem(server.getWithBearer("/sessions/" + id + "/events", mallory), 404);
            assertProblem(server.post("/agents/greeter/evolution/optimize", mallory, "{\"resume_id\": \"" + id + "\"}"), 404);
            assertProblem(server.getWithBearer("/agents/greeter/evolution/jobs/evo-nothing", read), 404);
            // An ended optimisation does not resume.
            assertProblem(server.post("/agents/greeter/evolution/optimize", write, "{\"resume_id\": \"" + id + "\"}"), 409);

            JsonNode versions = TestServer.json(server.getWithBearer("/agents/greeter/evolution/versions", read));
            assertThat(versions.path("versions")).isEmpty();
            assertProblem(server.post("/agents/greeter/evolution/rollback", write, "{\"version_id\": \"v1\"}"), 404);
            assertProblem(server.post("/agents/greeter/evolution/approve", write, "{}"), 400);
            assertProblem(server.post("/agents/greeter/evolution/optimize", write, "{\"generations\": 99}"), 400);
            assertProblem(server.post("/agents/greeter/evolution/optimize", write, "{\"generashuns\": 1}"), 400);
            assertProblem(server.post("/agents/nobody/evolution/evaluate", write, ""), 404);
            assertProblem(server.post("/agents/greeter/evolution/optimize", read, ""), 403);
        }
    }

    static JsonNode awaitEnd(TestServer server, String path, String token) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        JsonNode j = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = server.getWithBearer(path, token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            j = TestServer.json(r);
            if (!j.path("status").asText().equals("running")) return j;
            Thread.sleep(50);
        }
        throw new AssertionError("the job did not end within 60 s: " + j);
    }

    @Test
    void theCliFollowsAJobOnTheServerWithUrl() throws Exception {
        try (TestServer server = server(true)) {
            String token = server.token(Scope.AGENTS_READ, Scope.AGENTS_WRITE);
            var out = new java.io.StringWriter();
            var err = new java.io.StringWriter();
            var cl = io.sigil.cli.SigilCommand.commandLine(java.util.Map.of(), dir);
            cl.setOut(new java.io.PrintWriter(out, true));
            cl.setErr(new java.io.PrintWriter(err, true));
            int exit = cl.execute("evolve", "optimize", "greeter", "--generations", "1", "--url",
                    "http://127.0.0.1:" + server.server().port(), "--token", token);
            assertThat(exit).as(err.toString()).isEqualTo(io.sigil.cli.ExitCodes.FAILURE); // nothing to improve
            assertThat(err.toString()).contains("optimisation job evo-").contains("/agents/greeter/evolution/jobs/");
            assertThat(out.toString()).contains("no_improvement: no candidate beat the current prompt")
                    .containsPattern("cost: \\d+ model calls, \\d+ tokens").contains("(optimization evo-");
        }
    }

    @Test
    void whileEvolutionIsOffEveryEndpointSaysHowToTurnItOn() throws Exception {
        try (TestServer server = server(false)) {
            HttpResponse<String> off = server.post("/agents/greeter/evolution/optimize", server.token(Scope.AGENTS_WRITE), "");
            assertProblem(off, 409);
            assertThat(off.body()).contains("SIGIL_USE_EVOLUTION=true");
            assertProblem(server.getWithBearer("/agents/greeter/evolution/versions", server.token(Scope.AGENTS_READ)), 409);
        }
    }
}
