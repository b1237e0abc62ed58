package io.sigil.evolution;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.sigil.Sigil;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractRegistry;
import io.sigil.errors.NotFoundError;
import io.sigil.errors.SigilError;
import io.sigil.events.file.FileEventStore;
import io.sigil.orchestrator.ModelProvider;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.routing.Router;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.ToolRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Runs cases through the real pipeline: an {@link Orchestrator} over the deployment's models, contracts, tools and
 * router, with the agent's system prompt replaced by the candidate's. Two things differ from a user's run, on
 * purpose: memory is off (an evaluation must neither learn from its own runs nor depend on what was remembered),
 * and the runs are recorded in a scratch event store that is deleted on {@link #close()}, so that evaluation runs
 * do not mix with the sessions users see (nor with those {@code --from-sessions} reads). Every model call is
 * counted in the {@link Cost}.
 */
public final class PipelineCaseRunner implements EvolutionService.Pipeline {
    private final AgentDefinition agent;
    private final Builder parts;
    private final Path scratch;
    private final FileEventStore store;
    private final SessionManager sessions;
    private final Map<String, Orchestrator> byPrompt = new ConcurrentHashMap<>();

    private PipelineCaseRunner(Builder b) {
        this.agent = Objects.requireNonNull(b.agent, "agent");
        this.parts = b;
        try {
            this.scratch = Files.createTempDirectory("sigil-evolution-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory for evaluation runs", e);
        }
        this.store = FileEventStore.open(scratch, 10_000);
        this.sessions = new SessionManager(store);
    }

    public static Builder builder() { return new Builder(); }

    /** The pipeline parts of an assembled Sigil, for {@code agent}, its model calls counted in {@code cost}. */
    public static PipelineCaseRunner over(Sigil sigil, AgentDefinition agent, Cost cost) {
        return builder().agent(agent).definitions(sigil.definitions()).models(sigil::model).contracts(sigil.contracts())
                .tools(sigil.tools()).router(sigil.router()).settings(sigil.settings()).cost(cost).build();
    }

    @Override
    public CaseRun run(String systemPrompt, TestCase testCase, long maxTokens) {
        Orchestrator o = byPrompt.computeIfAbsent(systemPrompt, this::orchestrator);
        RunRequest request = RunRequest.builder(testCase.input()).agent(agent.name()).contract(testCase.contract())
                .maxTokens(maxTokens).metadata(Map.of("evolution_case", testCase.id())).build();
        RunResponse r;
        try {
            r = o.handle(request, RunListener.NONE);
        } catch (SigilError e) {
            return CaseRun.failed(e.display(), 0);
        }
        String outcome = r.contract() == null ? null : r.contract().outcome();
        List<String> contractErrors = r.contract() == null ? List.of() : r.contract().errors();
        return new CaseRun(r.output(), r.answerText(), outcome, contractErrors, r.errors(), r.tokensUsed());
    }

    private Orchestrator orchestrator(String prompt) {
        AgentDefinition candidate = new AgentDefinition(agent.name(), agent.description(), prompt, agent.model(),
                agent.tools(), agent.contractName(), false, agent.planningEnabled(), agent.strategy(), agent.metadata(),
                agent.sideEffectTools());
        Settings.Features f = parts.settings.features();
        OrchestratorConfig config = OrchestratorConfig.from(parts.settings)
                .withFeatures(new Settings.Features(false, f.planning(), f.contracts(), f.evolution(), f.routing()));
        ModelProvider counted = s -> new CountingModel(parts.models.resolve(s), parts.cost);
        return Orchestrator.builder().config(config).agents(new Overlay(candidate)).definitions(parts.definitions)
                .models(counted).router(parts.router).sessions(sessions).contracts(parts.contracts).tools(parts.tools)
                .meters(parts.meters).build();
    }

    @Override
    public void close() {
        byPrompt.values().forEach(o -> o.close(Duration.ZERO));
        store.close();
        try (Stream<Path> walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory left in the temp directory is harmless
        }
    }

    /** The one agent under evaluation, with its candidate prompt. */
    private record Overlay(AgentDefinition candidate) implements AgentRegistry {
        public List<AgentDefinition> list() { return List.of(candidate); }
        public Optional<AgentDefinition> find(String name) {
            return candidate.name().equals(name) ? Optional.of(candidate) : Optional.empty();
        }
        public AgentDefinition get(String name) {
            return find(name).orElseThrow(() -> new NotFoundError("Agent '" + name + "' is not under evaluation"));
        }
        public void save(AgentDefinition a) { throw new UnsupportedOperationException("evaluation runs save no agents"); }
        public boolean delete(String name) { throw new UnsupportedOperationException("evaluation runs delete no agents"); }
    }

    /** Required: agent, definitions, models, contracts, settings, cost. Optional: tools, router, meters. */
    public static final class Builder {
        private AgentDefinition agent;
        private AgentDefinitions definitions;
        private ModelProvider models;
        private ContractRegistry contracts;
        private ToolRegistry tools = ToolRegistry.of();
        private Router router;
        private Settings settings;
        private Cost cost;
        private MeterRegistry meters = new CompositeMeterRegistry();

        private Builder() { }

        public Builder agent(AgentDefinition a) { agent = a; return this; }
        public Builder definitions(AgentDefinitions d) { definitions = d; return this; }
        public Builder models(ModelProvider m) { models = m; return this; }
        public Builder contracts(ContractRegistry c) { contracts = c; return this; }
        public Builder tools(ToolRegistry t) { tools = t; return this; }
        public Builder router(Router r) { router = r; return this; }
        public Builder settings(Settings s) { settings = s; return this; }
        public Builder cost(Cost c) { cost = c; return this; }
        public Builder meters(MeterRegistry m) { meters = m; return this; }

        public PipelineCaseRunner build() {
            Objects.requireNonNull(definitions, "definitions");
            Objects.requireNonNull(models, "models");
            Objects.requireNonNull(contracts, "contracts");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(cost, "cost");
            return new PipelineCaseRunner(this);
        }
    }
}
