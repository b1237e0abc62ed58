package io.sigil;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractExecutor;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractRegistry;
import io.sigil.contracts.ContractResult;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FailureStrategy;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.errors.ConfigError;
import io.sigil.errors.SigilError;
import io.sigil.events.EventStore;
import io.sigil.health.HealthCheck;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ModelResolver;
import io.sigil.llm.ProviderBreakers;
import io.sigil.guard.InjectionGuard;
import io.sigil.guard.InjectionMode;
import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.Consolidator;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryMetrics;
import io.sigil.memory.MemoryService;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.memory.Scope;
import io.sigil.memory.SharedQueryVectors;
import io.sigil.memory.extract.Chunker;
import io.sigil.memory.extract.ModelExtractor;
import io.sigil.memory.extract.RuleExtractor;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.memory.retrieval.TemporalBoost;
import io.sigil.memory.tools.MemoryTool;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.Router;
import io.sigil.runtime.GuardWiring;
import io.sigil.runtime.StateBackend;
import io.sigil.routing.Routers;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolSource;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Sigil assembled: the models, the contract executor, and - opened on first use - the stores (the event log on the
 * configured {@link StateBackend}, the memory index), the registries, the tools of the installed {@link ToolSource}s
 * and the orchestrator over them. The entry point for library users and the one assembly
 * the CLI and the server share. Everything but the settings is optional ({@link #builder()}); nothing heavy loads
 * before it is used: a contract call touches no store, the memory index and its embedding model open with the first
 * memory use. One per process when the stores are used (the event store and the memory index each allow a single
 * writer). Close it to release them.
 *
 * <pre>{@code
 * try (Sigil sigil = Sigil.builder().model("openai:gpt-4o-mini").build()) {
 *     LeadQualification lead = sigil.execute(Contract.fromRecord(LeadQualification.class), task)
 *             .as(LeadQualification.class);
 * }
 * }</pre>
 */
public final class Sigil implements AutoCloseable {
    private final Settings settings;
    private final MeterRegistry meters;
    private final Clock clock;
    private final OpenTelemetry telemetry;
    private final io.sigil.cluster.SharedCache sharedCache;
    private final ModelResolver models;
    private final ChatModel model;
    /** Memory's embedder (loaded on first use), caching recent vectors; the guard's too when it runs the same model. */
    private final CachingEmbedder embedder;
    /** The guard's embedder when memory's model is not its head's. */
    private final GuardWiring guardWiring;
    private final Memory memory;
    private InjectionGuard guard;
    private ContractExecutor executor;
    private Pipeline pipeline;
    private io.sigil.evolution.EvolutionService evolution;
    private io.sigil.evolution.OptimizationJobs evolutionJobs;
    private boolean closed;

    /** The stores, registries and orchestrator: opened together on first use. */
    private record Pipeline(StateBackend state, SessionManager sessions, AgentDefinitions definitions,
                            AgentRegistry agents, ContractRegistry contracts, ToolRegistry tools,
                            List<ToolSource.Attached> toolSources, Router router, Orchestrator orchestrator) { }

    private Sigil(Builder b) {
        this.settings = b.settings;
        this.meters = b.meters;
        this.clock = b.clock;
        this.telemetry = b.telemetry;
        this.sharedCache = b.sharedCache;
        this.models = new ModelResolver(settings.llm(), new ProviderBreakers().observedBy(meters));
        this.model = b.model;
        this.embedder = GuardWiring.memoryEmbedder(settings,
                new SharedQueryVectors(sharedCache, SharedQueryVectors.DEFAULT_TTL));
        this.guardWiring = new GuardWiring(settings, embedder);
        this.memory = new Memory(settings, this::defaultModel, embedder, meters, this::guard,
                () -> learningPipeline().state());
    }

    /**
     * Sigil from {@link Settings#defaults()} with the provider keys and base URLs of the environment, as the
     * providers' own SDKs read them ({@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code OPENAI_BASE_URL},
     * {@code ANTHROPIC_BASE_URL}); no metrics backend, the system clock. Change what you need.
     */
    public static Builder builder() { return new Builder(System::getenv); }

    public static final class Builder {
        private Settings settings;
        private MeterRegistry meters;
        private Clock clock = Clock.systemUTC();
        private OpenTelemetry telemetry = OpenTelemetry.noop();
        private ChatModel model;
        private io.sigil.cluster.SharedCache sharedCache = io.sigil.cluster.SharedCache.NONE;

        Builder(java.util.function.UnaryOperator<String> env) {
            Settings d = Settings.defaults();
            settings = d.withLlm(d.llm().toBuilder().openaiApiKey(env.apply("OPENAI_API_KEY"))
                    .anthropicApiKey(env.apply("ANTHROPIC_API_KEY")).openaiBaseUrl(env.apply("OPENAI_BASE_URL"))
                    .anthropicBaseUrl(env.apply("ANTHROPIC_BASE_URL")).build());
        }

        /** All settings at once, e.g. {@code ConfigLoader}'s; later calls change parts of them. */
        public Builder settings(Settings s) { this.settings = Objects.requireNonNull(s, "settings"); return this; }

        /** The LLM settings (provider, model, keys, base URLs, timeout, retries). */
        public Builder llm(Settings.Llm llm) { settings = settings.withLlm(Objects.requireNonNull(llm, "llm")); return this; }

        /** The default model as a model string, e.g. {@code openai:gpt-4o-mini}, {@code anthropic:claude-...}, {@code test}. */
        public Builder model(String modelString) { return llm(settings.llm().toBuilder().model(modelString).build()); }

        /** The default model as an instance (any {@link ChatModel}, decorated as you like); wins over {@link #model(String)}. */
        public Builder model(ChatModel model) { this.model = Objects.requireNonNull(model, "model"); return this; }

        /** Where metrics go (default: a registry without backends, which records nothing). */
        public Builder meters(MeterRegistry m) { this.meters = Objects.requireNonNull(m, "meters"); return this; }

        /** Where plans and query vectors are also cached for other processes (Redis for replicas); default: none. */
        public Builder sharedCache(io.sigil.cluster.SharedCache c) {
            this.sharedCache = Objects.requireNonNull(c, "sharedCache");
            return this;
        }

        public Builder clock(Clock c) { this.clock = Objects.requireNonNull(c, "clock"); return this; }

        /** Where runs send their traces (default: the no-op, not traced; sigil-server passes its SDK when telemetry is on). */
        public Builder telemetry(OpenTelemetry t) { this.telemetry = Objects.requireNonNull(t, "telemetry"); return this; }

        public Sigil build() {
            if (meters == null) meters = new CompositeMeterRegistry();
            return new Sigil(this);
        }
    }

    /**
     * Produces {@code contract}'s output for {@code task} with the default model: attempts, validation, re-asks
     * with the errors, budgets. Bind it with {@link ContractResult#as}.
     */
    public ContractResult execute(Contract contract, String task) { return executor().execute(contract, task); }

    /** The executor {@link #execute} uses (default model, these metrics, the configured default token budget). */
    public synchronized ContractExecutor executor() {
        if (executor == null) {
            executor = ContractExecutor.builder(defaultModel()).metrics(meters)
                    .defaultMaxTotalTokens(settings.contracts().maxTotalTokens()).build();
        }
        return executor;
    }

    /** SIGIL_TOOL_APPROVAL and SIGIL_APPROVAL_EXPIRY, checked (a bad pair names itself). */
    public static io.sigil.approval.ApprovalSettings approvalSettings(Settings settings) {
        var a = settings.tools().approval();
        return new io.sigil.approval.ApprovalSettings(io.sigil.approval.ApprovalRules.parseOverrides(a.tools(),
                "SIGIL_TOOL_APPROVAL"), a.expiry());
    }

    /** The default model: the one given to the builder, else the configured model string resolved. */
    public ChatModel defaultModel() { return model != null ? model : models.resolve((String) null); }

    /** The model a model string names; null or blank: the default model. */
    public ChatModel model(String modelString) {
        return model != null && (modelString == null || modelString.isBlank()) ? model : models.resolve(modelString);
    }

    /** The contract loader with the configured defaults (max retries, failure strategy). */
    public static ContractLoader contractLoader(Settings s) {
        FailureStrategy strategy;
        try {
            strategy = FailureStrategy.parse(s.contracts().defaultStrategy());
        } catch (IllegalArgumentException e) {
            throw new ConfigError("contracts.default_strategy: " + e.getMessage(),
                    "Set SIGIL_CONTRACT_DEFAULT_STRATEGY to retry, fallback or fail.");
        }
        return new ContractLoader(s.contracts().defaultMaxRetries(), strategy);
    }

    /** Contracts in the configured directory over the bundled templates. */
    public static FileContractRegistry contractRegistry(Settings s, ContractLoader loader) {
        return new FileContractRegistry(s.contracts().dir(), loader, new ContractTemplates(loader));
    }

    private synchronized Pipeline pipeline() {
        if (closed) throw new IllegalStateException("This Sigil is closed");
        if (pipeline == null) pipeline = openPipeline();
        return pipeline;
    }

    /** For memory: {@link #close} drains learning from answered runs, which may open memory, after closed is set. */
    private synchronized Pipeline learningPipeline() { return pipeline != null ? pipeline : pipeline(); }

    private Pipeline openPipeline() {
        StateBackend state = StateBackend.open(settings);
        List<ToolSource.Attached> attached = new ArrayList<>();
        try {
            SessionManager sessions = new SessionManager(state.events());
            AgentDefinitions definitions = new AgentDefinitions(Arrays.stream(StrategyName.values())
                    .map(StrategyName::wireName).collect(Collectors.toSet()));
            AgentRegistry agents = state.agents(definitions);
            ContractLoader contractLoader = contractLoader(settings);
            ContractRegistry contracts = state.contracts(contractLoader, new ContractTemplates(contractLoader));
            ToolRegistry tools = new ToolRegistry().register(new CurrentTimeTool(clock));
            if (settings.features().memory()) {
                // Registered over the lazily opened memory (commands that never recall never load the embedding
                // model) and unbound: each run binds them to its caller's own scope (RequestRun, ScopeAccess).
                for (var tool : MemoryTool.all(memory::get, Scope.GLOBAL)) tools.register(tool);
            }
            // The installed tool sources: the services whose keys are set, then the configured MCP servers' tools.
            for (ToolSource source : ToolSource.installed()) attached.add(source.attach(settings, tools, clock));
            Router router = Routers.forMode(settings.routing().mode(), this::defaultModel, null);
            Orchestrator orchestrator = Orchestrator.builder().config(OrchestratorConfig.from(settings)).agents(agents)
                    .definitions(definitions).models(this::model).router(router).sessions(sessions)
                    .memory(memory::get).contracts(contracts).tools(tools)
                    .planCache(new PlanCache(clock, PlanCache.DEFAULT_TTL, 1_000, sharedCache)).meters(meters).clock(clock)
                    .telemetry(telemetry).inputGuard(this::guard).approvals(approvalSettings(settings)).build();
            return new Pipeline(state, sessions, definitions, agents, contracts, tools, List.copyOf(attached), router,
                    orchestrator);
        } catch (RuntimeException e) {
            attached.forEach(ToolSource.Attached::close);
            state.close();
            throw e;
        }
    }

    public Settings settings() { return settings; }
    public MeterRegistry meters() { return meters; }
    public Clock clock() { return clock; }
    public ModelResolver models() { return models; }
    public EventStore events() { return pipeline().state().events(); }
    /** Where state lives: the backend's event store, API keys, health checks and status. */
    public StateBackend state() { return pipeline().state(); }
    public SessionManager sessions() { return pipeline().sessions(); }
    public AgentDefinitions definitions() { return pipeline().definitions(); }
    public AgentRegistry agents() { return pipeline().agents(); }
    public ContractRegistry contracts() { return pipeline().contracts(); }
    public ToolRegistry tools() { return pipeline().tools(); }

    /** Checks of what the tool sources connected to: the services (enabled or not) and each MCP server's state. */
    public List<HealthCheck> toolHealthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        for (var a : pipeline().toolSources()) checks.addAll(a.healthChecks());
        return checks;
    }
    public Router router() { return pipeline().router(); }
    public Orchestrator orchestrator() { return pipeline().orchestrator(); }
    /** The memory service, opening the memory store (and loading its embedding model) on first use. */
    public MemoryService memory() { return memory.get(); }
    /** Why memory cannot store writes now (see {@link MemoryStore#writeProblem}); empty while it can or is not open. */
    public java.util.Optional<String> memoryWriteProblem() { return memory.writeProblem(); }
    /** The memory index's state without opening it: {@code open} false until first use. */
    public Map<String, Object> memoryStatus() { return memory.status(); }
    /**
     * The injection guard of {@code guard.detector} and {@code security.injection_mode}, with its head's embedder
     * (memory's when memory runs the same local model, see {@link GuardWiring}).
     */
    public synchronized InjectionGuard guard() {
        if (guard == null) {
            // Without a memory module there is no local embedder: the learned detector falls back to the rules.
            guard = new InjectionGuard(guardWiring.detector(null), InjectionMode.parse(settings.security().injectionMode()));
            // The first screening means a run is starting; with memory on it recalls and learns, so memory opens
            // (its model, then its index) on the other core while this thread screens, routes and answers
            // (issue 16: start-up of `run`). A failure is left to the first real use, which reports it.
            if (settings.features().memory()) memory.openInBackground();
        }
        return guard;
    }
    /**
     * Prompt evolution over this Sigil's agents, sessions and models (off unless {@code features.evolution}: then
     * every operation fails with how to turn it on). Versions live on the state backend.
     */
    public synchronized io.sigil.evolution.EvolutionService evolution() {
        if (evolution == null) {
            evolution = io.sigil.evolution.EvolutionService.builder().enabled(settings.features().evolution())
                    .agents(agents()).contracts(contracts()).versions(state().promptVersions()).sessions(sessions())
                    .agentsDir(settings.agents().dir()).models(this::model)
                    .pipelines((agent, cost) -> io.sigil.evolution.PipelineCaseRunner.over(this, agent, cost))
                    .clock(clock).build();
        }
        return evolution;
    }

    /**
     * Optimisations as background jobs in the state backend's job store. On the file backend one process owns the
     * data directory, so every job still running at start-up was cut short; on a shared database a job is another
     * replica's until its heartbeat is a minute old.
     */
    public synchronized io.sigil.evolution.OptimizationJobs evolutionJobs() {
        if (evolutionJobs == null) {
            evolutionJobs = io.sigil.evolution.OptimizationJobs.builder().service(evolution())
                    .store(state().optimizationJobs()).clock(clock)
                    .staleAfter("file".equals(settings.state().backend()) ? Duration.ZERO : Duration.ofMinutes(1)).build();
        }
        return evolutionJobs;
    }

    /** Memory's embedder (the guard's too when both run the same model). */
    public CachingEmbedder embedder() { return embedder; }

    @Override
    public void close() {
        Pipeline p;
        synchronized (this) {
            if (closed) return;
            closed = true;
            p = pipeline;
        }
        if (evolutionJobs != null) evolutionJobs.close(); // running jobs stay running in the store, for the next start
        if (p != null) p.orchestrator().close(Duration.ofSeconds(60)); // learn from the runs already answered first
        if (p != null) p.toolSources().forEach(ToolSource.Attached::close);
        memory.close();
        embedder.close();
        guardWiring.close();
        if (p != null) p.state().close();
    }

    /** The memory store, opened on first use (it loads the embedding model), closed with Sigil. */
    private static final class Memory {
        private final Settings settings;
        private final java.util.function.Supplier<ChatModel> defaultModel;
        private final Embedder embedder;
        private final MeterRegistry meters;
        private final java.util.function.Supplier<InjectionGuard> guard;
        private final java.util.function.Supplier<StateBackend> state;
        private MemoryStoreFactory factory;
        /** Volatile: health checks read it without waiting for an opening in progress. */
        private volatile MemoryStore store;
        private MemoryService service;
        private boolean closed;

        Memory(Settings settings, java.util.function.Supplier<ChatModel> defaultModel, Embedder embedder,
               MeterRegistry meters, java.util.function.Supplier<InjectionGuard> guard,
               java.util.function.Supplier<StateBackend> state) {
            this.settings = settings;
            this.guard = guard;
            this.state = state;
            this.meters = meters;
            this.defaultModel = defaultModel;
            this.embedder = embedder;
        }

        /** Opens memory on a virtual thread, so that its model and index load while the caller works on. */
        void openInBackground() {
            Thread.ofVirtual().name("memory-open").start(() -> {
                try {
                    get();
                } catch (RuntimeException reportedOnFirstUse) {
                    // the first real use opens it again and reports the failure to its caller
                }
            });
        }

        synchronized MemoryService get() {
            // Learning drained by Sigil.close() still opens memory; after this close nothing may (it would never be closed).
            if (closed) throw new IllegalStateException("This Sigil is closed");
            if (service == null) {
                Settings.Memory m = settings.memory();
                ChatModel model = memoryModel();
                factory = MemoryStoreFactory.installed();
                embedder.model(); // load the model now, as opening memory always has, not inside the first run
                // On a database backend memory lives there, with a local store of the memory module as this
                // process's search index; on files it is the module's own store in memory.data_dir.
                store = state.get().memory(embedder, dir -> factory.open(m.withDataDir(dir), embedder))
                        .orElseGet(() -> factory.open(m, embedder));
                var rules = new RuleExtractor();
                service = new MemoryService(store,
                        model == null ? rules : new ModelExtractor(model, rules, 4 * Chunker.DEFAULT_MAX_CHARS),
                        new Consolidator(model),
                        Retriever.builder().store(store).chatModel(model).retrievalK(m.retrievalK())
                                .hybridThreshold(m.hybridThreshold()).fusion(Retriever.defaultFusion(embedder.model()))
                                .temporalBoost(TemporalBoost.of(m)).build(),
                        null, m.consolidationThreshold(), new MemoryMetrics(meters, store),
                        guard.get()); // the runs' own guard: memory writes are screened as user input is
            }
            return service;
        }

        /**
         * The model memory uses for extraction, ranking and summaries: the default one when it is a real model
         * that resolves (key present); none otherwise, and memory falls back to rules and plain retrieval. The
         * offline test model would only invent sample items, so it is never used to learn.
         */
        private ChatModel memoryModel() {
            try {
                ChatModel model = defaultModel.get();
                return model.provider().equals("test") ? null : model;
            } catch (SigilError e) {
                return null;
            }
        }

        java.util.Optional<String> writeProblem() {
            MemoryStore open = store;
            return open == null ? java.util.Optional.empty() : open.writeProblem();
        }

        synchronized Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("open", store != null);
            if (store != null) m.putAll(factory.status(store));
            return m;
        }

        synchronized void close() {
            closed = true;
            if (store != null) store.close();
        }
    }
}
