package io.sigil.bench;

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
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;
import io.sigil.memory.Consolidator;
import io.sigil.memory.embed.Embedders;
import io.sigil.memory.eval.ConversationDevSet;
import io.sigil.memory.eval.EvalSet;
import io.sigil.memory.extract.RuleExtractor;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.orchestrator.RunStatus;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.KeywordRouter;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The orchestrator's own cost per request: the whole pipeline with a zero-latency scripted model, so every
 * nanosecond measured is Sigil's. Full: keyword routing, memory recall (ONNX MiniLM query embedding, BM25 + HNSW
 * over a Lucene index of a few hundred items), a three-step plan run on virtual threads, the lead_qualification
 * contract, learning after (rule extraction, embedding, Lucene write: queued, off the request path) and every
 * event written to a real file store. Baseline in the same run: a simple request (routing, direct reasoning,
 * events; memory and planning off).
 *
 * <p>Two loads: one session driven sequentially (its history grows with every request), and 256 sessions at once
 * on virtual threads, each sending its requests one after another. Reports requests/s and p50/p99 latency, and
 * how long learning trailed the last response (the load waits for it, so it never overlaps the next load).
 *
 * <p>Run: {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.PipelineBenchmark [sequential]
 * [sessions] [perSession]} (defaults 100, 256, 1). "Without memory" is the full
 * pipeline with memory off, to show what recall and learning cost.
 */
public final class PipelineBenchmark {
    static final String COMPLEX = "Analyze and compare the budget, authority, need and timeline of ACME Corp, evaluate "
            + "the risks and decide whether to prioritize them; search our CRM records, analyze revenue data, compare "
            + "with competitor pricing and evaluate the strategy options for our enterprise sales pipeline across every "
            + "region, then recommend the next action for the account team.";
    static final String PLAN = """
            {"steps": [
              {"id": "budget", "description": "Assess the lead's budget", "type": "reasoning", "depends_on": [], "strategy": "direct"},
              {"id": "authority", "description": "Assess who decides", "type": "reasoning", "depends_on": [], "strategy": "direct"},
              {"id": "verdict", "description": "Combine into a verdict", "type": "reasoning",
               "depends_on": ["budget", "authority"], "strategy": "direct"}]}""";
    static final String LEAD = """
            {"score": 80, "bant_assessment": {"budget": "50k approved", "authority": "CFO decides",
             "need": "lost leads", "timeline": "this quarter"}, "recommended_action": "Book a demo this week"}""";
    static final String USER = "bench";

    private PipelineBenchmark() { }

    /** The zero-latency model: a plan for plan calls, the lead for contract calls, a sentence otherwise. */
    static ChatResponse answer(ChatRequest r) {
        if (r.outputSchema() != null && r.outputSchema().name().equals("plan")) return TestModel.text(PLAN);
        // A contract call: its deliverables travel as the output schema (no tools) or in the system prompt (tools).
        if ((r.outputSchema() != null && r.outputSchema().name().equals("lead_qualification"))
                || (r.system() != null && r.system().contains("deliverables of the contract"))) {
            return TestModel.text(LEAD);
        }
        return TestModel.text("ACME has an approved budget and the CFO decides; they need it this quarter.");
    }

    /** {@code learnedSeconds}: from the last response until every run of the load was learned from (memory on). */
    record Load(String name, int requests, double seconds, long[] latenciesNanos, int failures, double learnedSeconds) {
        double perSecond() { return requests / seconds; }

        double percentileMillis(double p) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
            return sorted[i] / 1e6;
        }

        String row() {
            return String.format(java.util.Locale.ROOT, "| %s | %d | %.1f | %.2f | %.2f | %d | %.2f |", name, requests,
                    perSecond(), percentileMillis(0.50), percentileMillis(0.99), failures, learnedSeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        int sequential = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int perSession = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path dir = Files.createTempDirectory("sigil-pipeline-bench");
        Settings settings = Settings.defaults();
        try (Embedder embedder = Embedders.fromSettings(settings.memory(), settings.llm());
             LuceneMemoryStore memoryStore = LuceneMemoryStore.open(dir.resolve("memory"), embedder);
             FileEventStore events = FileEventStore.open(dir.resolve("state"), 1_000_000)) {
            int seeded = seed(memoryStore, embedder);
            var memory = new MemoryService(memoryStore, new RuleExtractor(), new Consolidator(null),
                    Retriever.builder().store(memoryStore).retrievalK(settings.memory().retrievalK())
                            .hybridThreshold(settings.memory().hybridThreshold()).fusion(Retriever.DEFAULT_FUSION).build(), null, settings.memory().consolidationThreshold(), null);
            Orchestrator full = orchestrator(dir, events, memory, new Settings.Features(true, true, true, false, true));
            Orchestrator noMemory = orchestrator(dir, events, memory, new Settings.Features(false, true, true, false, true));
            Orchestrator direct = orchestrator(dir, events, memory, new Settings.Features(false, false, true, false, true));
            Function<String, RunRequest> fullRequest = session -> RunRequest.builder(COMPLEX).userId(USER)
                    .contract("lead_qualification").sessionId(session).build();
            Function<String, RunRequest> simpleRequest = session -> RunRequest.builder("hello").userId(USER)
                    .sessionId(session).build();

            check(full.handle(fullRequest.apply(null), RunListener.NONE), true);
            check(direct.handle(simpleRequest.apply(null), RunListener.NONE), false);
            System.out.printf("memory index: %d items; JDK %s; %d processors%n", seeded, Runtime.version(),
                    Runtime.getRuntime().availableProcessors());
            // Warm-up: JIT, the ONNX session, Lucene searchers, the file store's segments.
            concurrent("warm-up", full, fullRequest, 16, 2);
            concurrent("warm-up", noMemory, fullRequest, 16, 2);
            sequential("warm-up", direct, simpleRequest, 100);

            List<Load> loads = new ArrayList<>();
            loads.add(sequential("baseline: simple request, 1 session sequential", direct, simpleRequest, sequential));
            loads.add(sequential("full pipeline, 1 session sequential", full, fullRequest, sequential));
            loads.add(sequential("full pipeline without memory, 1 session sequential", noMemory, fullRequest, sequential));
            loads.add(concurrent("baseline: simple request, " + sessions + " sessions", direct, simpleRequest, sessions, perSession));
            loads.add(concurrent("full pipeline, " + sessions + " sessions", full, fullRequest, sessions, perSession));
            loads.add(concurrent("full pipeline without memory, " + sessions + " sessions", noMemory, fullRequest,
                    sessions, perSession));
            System.out.println("| Load | Requests | Requests/s | p50 (ms) | p99 (ms) | Failed | Learned after (s) |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            loads.forEach(l -> System.out.println(l.row()));
            Load seq = loads.get(1);
            int tenth = Math.max(1, seq.requests() / 10);
            System.out.printf(java.util.Locale.ROOT, "full pipeline, 1 session: mean of the first %d requests %.2f ms, "
                    + "of the last %d %.2f ms (as the session's history grows)%n", tenth, mean(seq, 0, tenth), tenth,
                    mean(seq, seq.requests() - tenth, seq.requests()));
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static double mean(Load l, int from, int to) {
        return Arrays.stream(l.latenciesNanos(), from, to).average().orElse(0) / 1e6;
    }

    /** Fails loudly if the pipeline did not do what is being timed (a benchmark of errors measures nothing). */
    private static void check(RunResponse r, boolean full) {
        if (r.status() != RunStatus.SUCCESS) throw new IllegalStateException("pipeline run failed: " + r.errors());
        if (full && (r.planId() == null || r.contract() == null || !r.contract().valid()
                || !r.metadata().containsKey("memories_recalled"))) {
            throw new IllegalStateException("the full pipeline skipped a stage: " + r.metadata());
        }
    }

    /** A few hundred real conversation turns (the memory dev set's) in the user's scope. */
    static int seed(LuceneMemoryStore store, Embedder embedder) {
        List<String> texts = ConversationDevSet.generate(42, 60).corpus().stream().map(EvalSet.Doc::text)
                .limit(300).toList();
        List<MemoryItem> items = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < texts.size(); i++) {
            items.add(new MemoryItem("seed-" + i, null, texts.get(i), "general", 1.0, Map.of(), Scope.user(USER),
                    t0.plusSeconds(i)));
        }
        store.putItems(items, embedder.embed(texts));
        store.flush();
        return items.size();
    }

    /** {@code request} makes the request for a session id (null: a new session). */
    private static Load sequential(String name, Orchestrator o, Function<String, RunRequest> request, int n)
            throws InterruptedException {
        long[] latencies = new long[n];
        int failures = 0;
        String session = null;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            RunResponse r = o.handle(request.apply(session), RunListener.NONE);
            latencies[i] = System.nanoTime() - t;
            if (r.status() != RunStatus.SUCCESS && failures++ == 0) {
                System.out.println(name + ": request " + (i + 1) + " failed: " + r.status() + " " + r.errors());
            }
            session = r.sessionId();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Load(name, n, seconds, latencies, failures, learned(o));
    }

    private static Load concurrent(String name, Orchestrator o, Function<String, RunRequest> request, int sessions,
                                   int perSession) throws Exception {
        long[] latencies = new long[sessions * perSession];
        int failures = 0;
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                int slot = s * perSession;
                done.add(pool.submit(() -> {
                    int failed = 0;
                    String session = null;
                    for (int i = 0; i < perSession; i++) {
                        RunRequest r = request.apply(session);
                        long t = System.nanoTime();
                        RunResponse response = o.handle(r, RunListener.NONE);
                        latencies[slot + i] = System.nanoTime() - t;
                        if (response.status() != RunStatus.SUCCESS) failed++;
                        session = response.sessionId();
                    }
                    return failed;
                }));
            }
            for (Future<Integer> f : done) failures += f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Load(name, latencies.length, seconds, latencies, failures, learned(o));
    }

    /**
     * Learning runs after the response, off the request path: wait for it so that one load's learning does not
     * spill into the next one's measurement, and report how long it trailed.
     */
    private static double learned(Orchestrator o) throws InterruptedException {
        long t = System.nanoTime();
        if (!o.awaitLearning(Duration.ofMinutes(10))) throw new IllegalStateException("learning did not finish in 10 min");
        return (System.nanoTime() - t) / 1e9;
    }

    private static Orchestrator orchestrator(Path dir, FileEventStore events, MemoryService memory,
                                             Settings.Features features) {
        return orchestrator(dir, events, memory, features, io.sigil.guard.InjectionGuard.fromSettings("flag"));
    }

    /** The same pipeline with {@code guard} screening each request's message. */
    static Orchestrator orchestrator(Path dir, FileEventStore events, MemoryService memory, Settings.Features features,
                                     io.sigil.guard.InjectionGuard guard) {
        var strategies = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).collect(Collectors.toSet());
        var definitions = new AgentDefinitions(strategies);
        var loader = new ContractLoader();
        OrchestratorConfig config = OrchestratorConfig.from(Settings.defaults()).withFeatures(features);
        return Orchestrator.builder().config(config)
                .agents(new FileAgentRegistry(dir.resolve("agents"), definitions)).definitions(definitions)
                .models(model -> TestModel.scripted(PipelineBenchmark::answer)).router(new KeywordRouter())
                .sessions(new SessionManager(events)).memory(() -> memory)
                .contracts(new FileContractRegistry(dir.resolve("contracts"), loader, new ContractTemplates(loader)))
                .tools(ToolRegistry.of(new CurrentTimeTool(Clock.systemUTC())))
                .planCache(new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 100))
                .meters(new SimpleMeterRegistry()).clock(Clock.systemUTC()).inputGuard(() -> guard).build();
    }
}
