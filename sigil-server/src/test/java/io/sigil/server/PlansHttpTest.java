package io.sigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.Sigil;
import io.sigil.agents.AgentDefinition;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.test.TestModel;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.planning.PlanCache;
import io.sigil.planning.RetryPolicy;
import io.sigil.routing.Intent;
import io.sigil.routing.RouteDecision;
import io.sigil.routing.RouteFactors;
import io.sigil.routing.Router;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.plans.PlanEndpoints;
import io.sigil.server.runs.OrchestratorRuns;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;
import io.sigil.server.sessions.SessionEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.sigil.server.ContractsHttpTest.assertProblem;
import static io.sigil.server.RunStreamingHttpTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plans API over real HTTP against a run that is executing a plan: list and read it while it runs, pause it
 * (no new step starts), resume it (the run completes), abort another (the run ends as cancelled), read ended
 * plans from their session, and another user sees none of it.
 */
class PlansHttpTest {
    @TempDir
    Path dir;
    Sigil runtime;
    TrackedRuns runs;
    TestServer server;
    /** Released by the test: the step "gather" waits on it, so the plan is observably executing. */
    final CountDownLatch gate = new CountDownLatch(1);
    final List<String> stepsRun = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The message bus between this server and a second "replica" (Redis in production; its adapter passes the bus conformance suite). */
    final io.sigil.cluster.LocalClusterBus bus = new io.sigil.cluster.LocalClusterBus();
    io.sigil.server.cluster.ClusterPlans answering;

    ChatResponse script(ChatRequest r) {
        if (r.outputSchema() != null && r.outputSchema().name().equals("plan")) {
            return TestModel.text("""
                    {"steps": [
                      {"id": "gather", "description": "Gather the facts", "type": "reasoning", "depends_on": []},
                      {"id": "write", "description": "Write the report", "type": "reasoning", "depends_on": ["gather"]}]}""");
        }
        String user = r.messages().stream().filter(m -> m instanceof Message.User).map(m -> ((Message.User) m).text())
                .reduce((a, b) -> b).orElse("");
        if (user.contains("Gather the facts")) {
            stepsRun.add("gather");
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the test never opened the gate");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.sigil.llm.LlmError("test", io.sigil.llm.LlmError.Kind.CANCELLED, 0, null, null, "cancelled", null, null);
            }
            return TestModel.text("Final answer: the facts");
        }
        if (user.contains("Write the report")) stepsRun.add("write");
        return TestModel.text("Final answer: the report");
    }

    /** Every request is complex enough to plan. */
    static final Router COMPLEX = new Router() {
        @Override
        public RouteDecision route(String text) {
            return new RouteDecision(Intent.GENERAL_CHAT, 1.0, 0.9, "chat", true, false, true,
                    new RouteFactors("fixed", "test", Map.of(), Map.of(), null, "fixed complexity for tests"));
        }

        @Override
        public String mode() { return "fixed"; }
    };

    void start() {
        TestServer.Options options = TestServer.Options.defaults().testModel();
        Settings base = TestServer.settings(dir, options);
        Settings settings = base.withFeatures(new Settings.Features(false, true, false, false, true));
        Clock clock = Clock.systemUTC();
        var meters = new SimpleMeterRegistry();
        runtime = Sigil.builder().settings(settings).meters(meters).clock(clock).build();
        runtime.agents().save(new AgentDefinition("planner", "Plans reports", "You write reports.", "test",
                List.of(), null, false, true, null, Map.of(), List.of()));
        TestModel model = TestModel.scripted(this::script);
        Orchestrator orchestrator = Orchestrator.builder()
                .config(OrchestratorConfig.from(settings).withStepRetry(new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1))))
                .agents(runtime.agents()).definitions(runtime.definitions()).models(m -> model).router(COMPLEX)
                .sessions(runtime.sessions()).memory(runtime::memory).contracts(runtime.contracts())
                .tools(runtime.tools()).planCache(new PlanCache(clock, PlanCache.DEFAULT_TTL, 100)).meters(meters)
                .clock(clock).build();
        runs = new TrackedRuns(new OrchestratorRuns(orchestrator, runtime.agents()), Duration.ofSeconds(5), clock);
        JsonBodies bodies = new JsonBodies(Json.requestMapper());
        var endpoints = new ArrayList<ApiEndpoint>();
        endpoints.add(new RunEndpoint(runs, bodies, Json.responseMapper(), clock));
        endpoints.addAll(PlanEndpoints.all(orchestrator.runningPlans(), runtime.sessions(), 100));
        endpoints.addAll(SessionEndpoints.all(runtime.sessions(), bodies, 100));
        server = new TestServer(settings, options, ServerComponents.of(endpoints, List.of()));
        answering = new io.sigil.server.cluster.ClusterPlans(orchestrator.runningPlans(), bus, Json.responseMapper());
    }

    /** Another replica on the same store and bus, executing no plan itself. */
    TestServer replicaB() {
        TestServer.Options options = TestServer.Options.defaults().testModel();
        Settings settings = TestServer.settings(dir, options);
        var none = new io.sigil.planning.RunningPlans();
        var elsewhere = new io.sigil.server.cluster.ClusterPlans(none, bus, Json.responseMapper());
        return new TestServer(settings, options, ServerComponents.of(
                new ArrayList<>(PlanEndpoints.all(none, runtime.sessions(), elsewhere, 100)), List.of()));
    }

    @AfterEach
    void stop() {
        gate.countDown();
        if (answering != null) answering.close();
        if (server != null) server.close();
        if (runs != null) runs.close();
        if (runtime != null) runtime.close();
    }

    CompletableFuture<HttpResponse<String>> runAsync(String token) {
        return CompletableFuture.supplyAsync(() -> server.send(server.request("/agents/planner/run")
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"message\": \"Report on ACME\"}")).build()));
    }

    /** The one plan the caller sees executing, once it shows. */
    JsonNode executingPlan(String token) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        waitUntil(Duration.ofSeconds(20), () -> {
            JsonNode items = TestServer.json(server.getWithBearer("/plans", token)).path("items");
            if (items.size() == 1) found[0] = items.get(0);
            return items.size() == 1;
        });
        return found[0];
    }

    @Test
    void aPlanIsListedPausedResumedAndThenReadFromItsSession() throws Exception {
        start();
        String token = server.token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        var response = runAsync(token);
        JsonNode plan = executingPlan(token);
        String id = plan.path("plan_id").asText();
        String session = plan.path("session_id").asText();
        assertThat(plan.path("goal").asText()).contains("Report on ACME");
        assertThat(plan.path("status").asText()).isEqualTo("running");
        waitUntil(Duration.ofSeconds(20), () -> stepsRun.contains("gather"));

        // Paused: the running step finishes, the next one does not start.
        JsonNode paused = TestServer.json(server.post("/plans/" + id + "/pause", token, ""));
        assertThat(paused.path("status").asText()).isEqualTo("paused");
        gate.countDown();
        waitUntil(Duration.ofSeconds(20), () -> stepStatus(TestServer.json(server.getWithBearer("/plans/" + id, token)),
                "gather").equals("completed"));
        Thread.sleep(300); // a window in which a wrongly started step would show
        JsonNode held = TestServer.json(server.getWithBearer("/plans/" + id, token));
        assertThat(held.path("status").asText()).isEqualTo("paused");
        assertThat(stepStatus(held, "write")).isEqualTo("pending");
        assertThat(stepsRun).containsExactly("gather");
        assertThat(response).isNotDone();

        // Resumed: the plan finishes and the run answers.
        assertThat(TestServer.json(server.post("/plans/" + id + "/resume", token, "")).path("status").asText())
                .isIn("running", "completed");
        HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(TestServer.json(done).path("status").asText()).as(done.body()).isEqualTo("success");
        assertThat(stepsRun).containsExactly("gather", "write");

        // Ended: no longer executing here, read from the session's events.
        assertThat(TestServer.json(server.getWithBearer("/plans", token)).path("items")).isEmpty();
        assertProblem(server.getWithBearer("/plans/" + id, token), 404);
        assertProblem(server.post("/plans/" + id + "/pause", token, ""), 404);
        JsonNode ended = TestServer.json(server.getWithBearer("/plans/" + id + "?session_id=" + session, token));
        assertThat(ended.path("status").asText()).isEqualTo("completed");
        assertThat(stepStatus(ended, "gather")).isEqualTo("completed");
        assertThat(stepStatus(ended, "write")).isEqualTo("completed");
        assertThat(TestServer.json(server.getWithBearer("/plans?session_id=" + session, token)).path("items")).hasSize(1);
    }

    /** A run started by the owner, its plan executing; a stranger's token for the same server. */
    record Started(String token, String stranger, CompletableFuture<HttpResponse<String>> response, JsonNode plan, String id) { }

    Started startPlan() throws InterruptedException {
        start();
        String token = server.token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        String stranger = server.tokenFor("mallory", Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        var response = runAsync(token);
        JsonNode plan = executingPlan(token);
        return new Started(token, stranger, response, plan, plan.path("plan_id").asText());
    }

    @Test
    void aPlanExecutingOnAnotherReplicaIsSteeredThroughThisOne() throws Exception {
        Started on = startPlan();
        String id = on.id();
        waitUntil(Duration.ofSeconds(20), () -> stepsRun.contains("gather"));
        try (TestServer b = replicaB()) {
            assertProblem(b.post("/plans/" + id + "/pause", on.stranger(), ""), 404); // another user's plan, anywhere
            assertProblem(b.getWithBearer("/plans/" + id, on.stranger()), 404);
            JsonNode seen = TestServer.json(b.getWithBearer("/plans/" + id, on.token()));
            assertThat(seen.path("session_id").asText()).as("read through the replica that does not execute it")
                    .isEqualTo(on.plan().path("session_id").asText());
            assertThat(seen.path("status").asText()).isEqualTo("running");
            JsonNode paused = TestServer.json(b.post("/plans/" + id + "/pause", on.token(), ""));
            assertThat(paused.path("plan_id").asText()).isEqualTo(id);
            assertThat(paused.path("session_id").asText()).isEqualTo(on.plan().path("session_id").asText());
            assertThat(paused.path("status").asText()).isEqualTo("paused");
            assertThat(TestServer.json(server.getWithBearer("/plans/" + id, on.token())).path("status").asText())
                    .as("paused on the replica executing it").isEqualTo("paused");

            HttpResponse<String> aborted = b.post("/plans/" + id + "/abort", on.token(), "");
            assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);
            gate.countDown();
            HttpResponse<String> done = on.response().get(60, TimeUnit.SECONDS);
            assertThat(TestServer.json(done).path("status").asText()).as(done.body()).isEqualTo("cancelled");
            assertProblem(b.post("/plans/" + id + "/resume", on.token(), ""), 404); // ended: executing nowhere
        }
    }

    @Test
    void theListThroughAnotherReplicaShowsThePlanExecutingOnThisOne() throws Exception {
        Started on = startPlan();
        try (TestServer b = replicaB()) {
            JsonNode listed = TestServer.json(b.getWithBearer("/plans", on.token())).path("items");
            assertThat(listed).as("listed through the replica that does not execute it").hasSize(1);
            assertThat(listed.get(0).path("plan_id").asText()).isEqualTo(on.id());
            assertThat(listed.get(0).path("session_id").asText()).isEqualTo(on.plan().path("session_id").asText());
            assertThat(listed.get(0).path("goal").asText()).contains("Report on ACME");
            assertThat(listed.get(0).path("status").asText()).isEqualTo("running");
            assertThat(TestServer.json(b.getWithBearer("/plans", on.stranger())).path("items")).as("another user's")
                    .isEmpty();

            server.post("/plans/" + on.id() + "/pause", on.token(), "");
            assertThat(TestServer.json(b.getWithBearer("/plans", on.token())).path("items").get(0).path("status")
                    .asText()).as("the executing replica's live status").isEqualTo("paused");
            server.post("/plans/" + on.id() + "/abort", on.token(), "");
            gate.countDown();
            on.response().get(60, TimeUnit.SECONDS);
            assertThat(TestServer.json(b.getWithBearer("/plans", on.token())).path("items")).as("ended: executing nowhere")
                    .isEmpty();
        }
    }

    @Test
    void anAbortedPlanEndsItsRunAsCancelledAndOthersCannotSeeOrSteerIt() throws Exception {
        Started started = startPlan();
        String token = started.token();
        String stranger = started.stranger();
        var response = started.response();
        JsonNode plan = started.plan();
        String id = started.id();
        String session = plan.path("session_id").asText();

        assertThat(TestServer.json(server.getWithBearer("/plans", stranger)).path("items")).isEmpty();
        assertProblem(server.getWithBearer("/plans/" + id, stranger), 404);
        assertProblem(server.post("/plans/" + id + "/abort", stranger, ""), 404);
        assertProblem(server.getWithBearer("/plans/" + id + "?session_id=" + session, stranger), 404);
        assertProblem(server.getWithBearer("/plans/bad%20id", token), 400);
        assertProblem(server.getWithBearer("/plans?session_id=..%2Fetc", token), 400);

        server.post("/plans/" + id + "/abort", token, "");
        HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode body = TestServer.json(done);
        assertThat(body.path("status").asText()).as(done.body()).isEqualTo("cancelled");
        assertThat(body.toString()).contains("aborted by an operator");
        JsonNode ended = TestServer.json(server.getWithBearer("/plans/" + id + "?session_id=" + session, token));
        assertThat(ended.path("status").asText()).isEqualTo("aborted");
        assertThat(stepStatus(ended, "write")).isEqualTo("skipped");
        assertThat(stepsRun).doesNotContain("write");
    }

    TestServer.Cli cli(String... args) {
        return TestServer.cli(Map.of("SIGIL_URL", "http://127.0.0.1:" + server.server().port()), dir, args);
    }

    @Test
    void theCliListsPausesShowsAndAbortsAPlanOnTheServer() throws Exception {
        start();
        String token = server.token(Scope.RUNS_EXECUTE, Scope.SESSIONS_READ);
        var response = runAsync(token);
        String id = executingPlan(token).path("plan_id").asText();

        TestServer.Cli list = cli("plans", "list", "--token", token);
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(id).contains("running").contains("Report on ACME");
        TestServer.Cli paused = cli("plans", "pause", id, "--token", token);
        assertThat(paused.exit()).as(paused.err()).isZero();
        assertThat(paused.out()).contains("plan " + id + "  paused").contains("gather").contains("write");
        TestServer.Cli json = cli("plans", "get", id, "--token", token, "--json");
        assertThat(TestServer.JSON.readTree(json.out()).path("status").asText()).isEqualTo("paused");
        TestServer.Cli aborted = cli("plans", "abort", id, "--token", token);
        assertThat(aborted.exit()).as(aborted.err()).isZero();
        assertThat(TestServer.json(response.get(60, TimeUnit.SECONDS)).path("status").asText()).isEqualTo("cancelled");

        TestServer.Cli gone = cli("plans", "pause", id, "--token", token);
        assertThat(gone.exit()).isEqualTo(io.sigil.cli.ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains("is not executing on this server").doesNotContain("Exception");
        TestServer.Cli noCredentials = cli("plans", "list");
        assertThat(noCredentials.exit()).isEqualTo(io.sigil.cli.ExitCodes.USAGE);
        assertThat(noCredentials.err()).contains("--api-key");
        TestServer.Cli unreachable = cli("plans", "list", "--token", token, "--url", "http://127.0.0.1:9");
        assertThat(unreachable.exit()).isEqualTo(io.sigil.cli.ExitCodes.USAGE);
        assertThat(unreachable.err()).contains("Cannot reach the Sigil server at http://127.0.0.1:9");
    }

    static String stepStatus(JsonNode plan, String step) {
        for (JsonNode s : plan.path("steps")) if (s.path("step_id").asText().equals(step)) return s.path("status").asText();
        return "absent";
    }
}
