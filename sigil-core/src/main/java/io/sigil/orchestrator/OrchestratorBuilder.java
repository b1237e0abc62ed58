package io.sigil.orchestrator;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractRegistry;
import io.sigil.errors.ConfigError;
import io.sigil.guard.InjectionGuard;
import io.sigil.memory.MemoryService;
import io.sigil.planning.PlanCache;
import io.sigil.routing.KeywordRouter;
import io.sigil.routing.Router;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.ToolRegistry;

import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Builds an {@link Orchestrator} ({@link Orchestrator#builder()}). Required: agents, definitions, models, sessions,
 * contracts. Optional: config ({@link Settings#defaults()}), router (keyword router), memory (none: the config must
 * then turn memory off), tools (none), plan cache (1,000 plans, the default TTL), metrics (recorded nowhere),
 * clock (UTC), telemetry (the no-op: not traced), input guard (rules, mode flag).
 */
public final class OrchestratorBuilder {
    private OrchestratorConfig config;
    private AgentRegistry agents;
    private AgentDefinitions definitions;
    private ModelProvider models;
    private Router router;
    private SessionManager sessions;
    private Supplier<MemoryService> memory;
    private ContractRegistry contracts;
    private ToolRegistry tools;
    private PlanCache planCache;
    private MeterRegistry meters;
    private Clock clock = Clock.systemUTC();
    private io.sigil.approval.ApprovalSettings approvals = io.sigil.approval.ApprovalSettings.DEFAULTS;
    private io.opentelemetry.api.OpenTelemetry telemetry = io.opentelemetry.api.OpenTelemetry.noop();
    private Supplier<InjectionGuard> inputGuard;

    OrchestratorBuilder() { }

    public OrchestratorBuilder config(OrchestratorConfig c) { this.config = c; return this; }

    public OrchestratorBuilder agents(AgentRegistry a) { this.agents = a; return this; }

    public OrchestratorBuilder definitions(AgentDefinitions d) { this.definitions = d; return this; }

    /** The model each run uses, by model string (null: the default model). */
    public OrchestratorBuilder models(ModelProvider m) { this.models = m; return this; }

    public OrchestratorBuilder router(Router r) { this.router = r; return this; }

    public OrchestratorBuilder sessions(SessionManager s) { this.sessions = s; return this; }

    /** Opens the memory service on first use (only called when memory is on). */
    public OrchestratorBuilder memory(Supplier<MemoryService> m) { this.memory = m; return this; }

    public OrchestratorBuilder contracts(ContractRegistry c) { this.contracts = c; return this; }

    public OrchestratorBuilder tools(ToolRegistry t) { this.tools = t; return this; }

    public OrchestratorBuilder planCache(PlanCache p) { this.planCache = p; return this; }

    public OrchestratorBuilder meters(MeterRegistry m) { this.meters = m; return this; }

    /** Which tool calls wait for a human decision, and for how long (default: side-effect tools, 24 hours). */
    public OrchestratorBuilder approvals(io.sigil.approval.ApprovalSettings a) {
        this.approvals = Objects.requireNonNull(a, "approvals");
        return this;
    }

    public OrchestratorBuilder clock(Clock c) { this.clock = Objects.requireNonNull(c, "clock"); return this; }

    /** Where runs send their spans (OpenTelemetry GenAI conventions); default: the no-op, not traced. */
    public OrchestratorBuilder telemetry(io.opentelemetry.api.OpenTelemetry t) {
        this.telemetry = Objects.requireNonNull(t, "telemetry");
        return this;
    }

    /**
     * The guard that screens each request's message, taken on the first request; default: the rule detector in
     * mode flag (reports, never changes or refuses a message).
     */
    public OrchestratorBuilder inputGuard(Supplier<InjectionGuard> g) {
        this.inputGuard = Objects.requireNonNull(g, "inputGuard");
        return this;
    }

    public Orchestrator build() {
        require(agents, "agents");
        require(definitions, "definitions");
        require(models, "models");
        require(sessions, "sessions");
        require(contracts, "contracts");
        OrchestratorConfig c = config != null ? config : OrchestratorConfig.from(Settings.defaults());
        Supplier<MemoryService> m = memory != null ? memory : () -> {
            throw new ConfigError("Memory is on but this orchestrator was built without a memory service",
                    "Pass .memory(...) to Orchestrator.builder(), or turn memory off in the config.");
        };
        return new Orchestrator(c, agents, definitions, models, router != null ? router : new KeywordRouter(), sessions, m,
                contracts, tools != null ? tools : ToolRegistry.of(),
                planCache != null ? planCache : new PlanCache(clock, PlanCache.DEFAULT_TTL, 1_000),
                meters != null ? meters : new CompositeMeterRegistry(), clock, telemetry,
                inputGuard != null ? inputGuard : () -> InjectionGuard.fromSettings("flag"), approvals);
    }

    private static void require(Object value, String what) {
        if (value == null) throw new IllegalStateException("Orchestrator.builder() needs ." + what + "(...)");
    }
}
