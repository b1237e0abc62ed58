package io.sigil.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractRegistry;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FailureStrategy;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.errors.ConfigError;
import io.sigil.events.EventStore;
import io.sigil.llm.ModelResolver;
import io.sigil.memory.Consolidator;
import io.sigil.memory.MemoryMetrics;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Scope;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.memory.extract.Chunker;
import io.sigil.memory.extract.ModelExtractor;
import io.sigil.llm.ChatModel;
import io.sigil.errors.SigilError;
import io.sigil.guard.InjectionGuard;
import io.sigil.guard.InjectionMode;
import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.extract.RuleExtractor;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.memory.tools.MemoryTool;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.Router;
import io.sigil.routing.Routers;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;
import io.sigil.mcp.client.McpClients;
import io.sigil.services.Services;

import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sigil assembled from settings: the stores it opens (event log on the configured {@link StateBackend}, memory index), the registries, the model
 * resolver and the orchestrator over them. One per process: the event store and the memory index each allow a
 * single writer, so the CLI and the server share this instead of opening them twice. Close it to release them.
 */
public final class SigilRuntime implements AutoCloseable {
    private final Settings settings;
    private final MeterRegistry meters;
    private final Clock clock;
    private final StateBackend state;
    private final SessionManager sessions;
    private final ModelResolver models;
    private final AgentDefinitions definitions;
    private final AgentRegistry agents;
    private final ContractRegistry contracts;
    private final ToolRegistry tools;
    private final Services services;
    private final McpClients mcp;
    private final Router router;
    /** One embedder (loaded on first use) for memory and the injection guard, caching recent vectors. */
    private final CachingEmbedder embedder;
    private final Memory memory;
    private final InjectionGuard guard;
    private final Orchestrator orchestrator;

    /** The memory index, opened on first use (it loads the embedding model), closed with the runtime. */
    private static final class Memory {
        private final Settings settings;
        private final ModelResolver models;
        private final Embedder embedder;
        private final MeterRegistry meters;
        private MemoryStoreFactory factory;
        private MemoryStore store;
        private MemoryService service;

        Memory(Settings settings, ModelResolver models, Embedder embedder, MeterRegistry meters) {
            this.settings = settings;
            this.models = models;
            this.embedder = embedder;
            this.meters = meters;
        }

        synchronized MemoryService get() {
            if (service == null) {
                Settings.Memory m = settings.memory();
                ChatModel model = memoryModel();
                factory = MemoryStoreFactory.installed();
                embedder.model(); // load the model now, as opening memory always has, not inside the first run
                store = factory.open(m, embedder);
                var rules = new RuleExtractor();
                service = new MemoryService(store,
                        model == null ? rules : new ModelExtractor(model, rules, 4 * Chunker.DEFAULT_MAX_CHARS),
                        new Consolidator(model),
                        new Retriever(store, model, m.retrievalK(), m.hybridThreshold(), Retriever.DEFAULT_FUSION),
                        null, m.consolidationThreshold(), new MemoryMetrics(meters, store),
                        io.sigil.guard.InjectionGuard.fromSettings(settings.security().injectionMode()));
            }
            return service;
        }

        /**
         * The model memory uses for extraction, ranking and summaries: the configured one when it is a real
         * model that resolves (key present); none otherwise, and memory falls back to rules and plain retrieval.
         * The offline test model would only invent sample items, so it is never used to learn.
         */
        private ChatModel memoryModel() {
            try {
                ChatModel model = models.resolve((String) null);
                return model.provider().equals("test") ? null : model;
            } catch (SigilError e) {
                return null;
            }
        }

        /** Whether the index is open (it opens on first use) and, when it is, what it holds. */
        synchronized Map<String, Object> status() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("open", store != null);
            if (store != null) m.putAll(factory.status(store));
            return m;
        }

        synchronized void close() {
            if (store != null) store.close();
        }
    }

    public SigilRuntime(Settings settings, MeterRegistry meters, Clock clock) {
        this(settings, meters, clock, io.opentelemetry.api.OpenTelemetry.noop());
    }

    /** @param telemetry where runs send their traces (the server's SDK when telemetry is on) */
    public SigilRuntime(Settings settings, MeterRegistry meters, Clock clock, io.opentelemetry.api.OpenTelemetry telemetry) {
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
        this.state = StateBackend.open(settings);
        this.sessions = new SessionManager(state.events());
        this.models = new ModelResolver(settings.llm(), new io.sigil.llm.ProviderBreakers().observedBy(meters));
        this.definitions = new AgentDefinitions(Arrays.stream(StrategyName.values()).map(StrategyName::wireName)
                .collect(Collectors.toSet()));
        this.agents = state.agents(definitions);
        this.contracts = contractRegistry(settings, contractLoader(settings));
        this.embedder = GuardWiring.sharedEmbedder(settings);
        this.memory = new Memory(settings, models, embedder, meters);
        this.guard = new InjectionGuard(GuardWiring.detector(settings, null, embedder),
                InjectionMode.parse(settings.security().injectionMode()));
        this.tools = new ToolRegistry().register(new CurrentTimeTool(clock));
        if (settings.features().memory()) {
            // Registered over the lazily opened memory (commands that never recall never load the embedding model)
            // and unbound: each run binds them to its caller's own scope (RequestRun, ScopeAccess).
            for (var tool : MemoryTool.all(memory::get, Scope.GLOBAL)) tools.register(tool);
        }
        // The services whose keys are set, then the tools of the configured MCP servers (connected in parallel; a
        // server that is down is retried in the background and its tools registered when it comes up).
        this.services = Services.fromSettings(settings.tools(), clock);
        services.tools().forEach(tools::register);
        this.mcp = McpClients.start(settings.tools().mcp(), tools, clock);
        this.router = Routers.forMode(settings.routing().mode(), () -> models.resolve((String) null), null);
        this.orchestrator = new Orchestrator(OrchestratorConfig.from(settings), agents, definitions, models::resolve,
                router, sessions, memory::get, contracts, tools, new PlanCache(clock, PlanCache.DEFAULT_TTL, 1_000),
                meters, clock, telemetry);
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

    public Settings settings() { return settings; }
    public MeterRegistry meters() { return meters; }
    public EventStore events() { return state.events(); }
    /** Where state lives: the backend's event store, health checks and status. */
    public StateBackend state() { return state; }
    public SessionManager sessions() { return sessions; }
    public ModelResolver models() { return models; }
    public AgentDefinitions definitions() { return definitions; }
    public AgentRegistry agents() { return agents; }
    public ContractRegistry contracts() { return contracts; }
    public ToolRegistry tools() { return tools; }
    /** The five services, enabled or not. */
    public Services services() { return services; }
    /** The MCP servers' connections. */
    public McpClients mcp() { return mcp; }

    /** Checks of what this runtime connected to: the services (enabled or not) and each MCP server's state. */
    public java.util.List<io.sigil.health.HealthCheck> toolHealthChecks() {
        var checks = new java.util.ArrayList<io.sigil.health.HealthCheck>();
        checks.add(services.healthCheck());
        checks.addAll(mcp.healthChecks());
        return checks;
    }
    public Router router() { return router; }
    public MemoryService memory() { return memory.get(); }
    /** The memory index's state without opening it: {@code open} false until first use. */
    public Map<String, Object> memoryStatus() { return memory.status(); }
    public Orchestrator orchestrator() { return orchestrator; }
    /** The injection guard of {@code guard.detector} and {@code security.injection_mode}, sharing memory's embedder. */
    public InjectionGuard guard() { return guard; }
    /** The embedder memory and the guard share. */
    public CachingEmbedder embedder() { return embedder; }

    @Override
    public void close() {
        orchestrator.close(java.time.Duration.ofSeconds(60)); // learn from the runs already answered first
        mcp.close();
        memory.close();
        embedder.close();
        state.close();
    }
}
