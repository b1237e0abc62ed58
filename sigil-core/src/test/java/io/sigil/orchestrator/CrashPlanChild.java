package io.sigil.orchestrator;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.events.file.FileEventStore;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.test.TestModel;
import io.sigil.memory.MemoryService;
import io.sigil.planning.PlanCache;
import io.sigil.planning.RetryPolicy;
import io.sigil.reasoning.StrategyName;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link OrchestratorCrashIT}: runs a three-step plan a -> b -> c whose step b never returns,
 * so the parent can kill it with step a checkpointed and b in flight. Args: the data directory, the session id.
 */
public final class CrashPlanChild {
    static final String GOAL = "Prepare the quarterly account review for ACME in three steps";
    static final String STEP_A = "Collect the account facts";
    static final String STEP_B = "Analyse the account risks";
    static final String STEP_C = "Write the review";
    static final String PLAN = """
            {"steps": [
              {"id": "a", "description": "%s", "type": "reasoning", "depends_on": [], "strategy": "direct"},
              {"id": "b", "description": "%s", "type": "reasoning", "depends_on": ["a"], "strategy": "direct"},
              {"id": "c", "description": "%s", "type": "reasoning", "depends_on": ["b"], "strategy": "direct"}]}"""
            .formatted(STEP_A, STEP_B, STEP_C);

    private CrashPlanChild() { }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String sessionId = args[1];
        FileEventStore store = FileEventStore.open(dir.resolve("state"), 10_000);
        new SessionManager(store).create(sessionId, null, null, Map.of());
        Orchestrator o = orchestrator(dir, store, r -> {
            if (isPlanCall(r)) return TestModel.text(PLAN);
            String step = step(r);
            if (STEP_B.equals(step)) {
                System.out.println("BLOCKED");
                System.out.flush();
                try {
                    Thread.sleep(Duration.ofHours(1)); // the parent kills us here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return TestModel.text("output of " + step);
        });
        System.out.println("STARTED");
        System.out.flush();
        o.handle(RunRequest.builder(GOAL).sessionId(sessionId).build(), RunListener.NONE);
        System.out.println("UNEXPECTEDLY FINISHED");
    }

    static boolean isPlanCall(ChatRequest r) {
        return r.outputSchema() != null && r.outputSchema().name().equals("plan");
    }

    /** The plan step a step's model call is for (the task ends the user message), or null. */
    static String step(ChatRequest r) {
        String u = OrchestratorTest.user(r);
        for (String s : new String[] {STEP_A, STEP_B, STEP_C}) {
            if (u.endsWith("Task:\n" + s)) return s;
        }
        return null;
    }

    /** An orchestrator over {@code dir} with planning on for every request (fixed complexity 0.6), memory off. */
    static Orchestrator orchestrator(Path dir, FileEventStore store, Function<ChatRequest, ChatResponse> script) {
        var strategies = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).collect(Collectors.toSet());
        var definitions = new AgentDefinitions(strategies);
        var loader = new ContractLoader();
        Supplier<MemoryService> noMemory = () -> { throw new AssertionError("memory is off here"); };
        OrchestratorConfig config = OrchestratorConfig.from(Settings.defaults())
                .withFeatures(new Settings.Features(false, true, true, false, true))
                .withStepRetry(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)));
        return Orchestrator.builder().config(config)
                .agents(new FileAgentRegistry(dir.resolve("agents"), definitions)).definitions(definitions)
                .models(model -> TestModel.scripted(script)).router(OrchestratorTest.complexity(0.6))
                .sessions(new SessionManager(store)).memory(noMemory)
                .contracts(new FileContractRegistry(dir.resolve("contracts"), loader, new ContractTemplates(loader)))
                .tools(ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC())))
                .planCache(new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 100))
                .meters(new SimpleMeterRegistry()).clock(Clock.systemUTC()).build();
    }
}
