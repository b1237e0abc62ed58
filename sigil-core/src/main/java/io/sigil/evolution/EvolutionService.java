package io.sigil.evolution;

import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentRegistry;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractRegistry;
import io.sigil.errors.EvolutionError;
import io.sigil.errors.InvalidInputError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.ChatModel;
import io.sigil.orchestrator.ModelProvider;
import io.sigil.sessions.SessionManager;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evolution of agents' prompts (sigil-design.md section 10): evaluate an agent on its test cases, optimise its
 * prompt behind the gates, keep versions, roll back, approve. Every evaluation and optimisation records
 * {@code evolution.started}, {@code evolution.generation} and {@code evolution.completed} in a session of its own
 * (its id is the optimisation's id), with the cost. Those events are also the optimisation's progress: after a
 * crash, {@link #resume} goes on from the last finished generation. Off unless {@code features.evolution}.
 */
public final class EvolutionService {
    /** Opens the pipeline that runs an agent's cases, its model calls counted in the cost. */
    @FunctionalInterface
    public interface Pipelines {
        Pipeline open(AgentDefinition agent, Cost cost);
    }

    /** A case runner to close when the work is done. */
    public interface Pipeline extends CaseRunner, AutoCloseable {
        @Override
        void close();
    }

    /** An evaluation or optimisation with the id of its session. */
    public record Run<T>(String id, String agent, T result) { }

    private final boolean enabled;
    private final AgentRegistry agents;
    private final ContractRegistry contracts;
    private final PromptVersionStore versions;
    private final SessionManager sessions;
    private final Path agentsDir;
    private final ModelProvider models;
    private final Pipelines pipelines;
    private final Clock clock;
    private final Object versionLock = new Object();

    private EvolutionService(Builder b) {
        this.enabled = b.enabled;
        this.agents = Objects.requireNonNull(b.agents, "agents");
        this.contracts = Objects.requireNonNull(b.contracts, "contracts");
        this.versions = Objects.requireNonNull(b.versions, "versions");
        this.sessions = Objects.requireNonNull(b.sessions, "sessions");
        this.agentsDir = Objects.requireNonNull(b.agentsDir, "agentsDir");
        this.models = Objects.requireNonNull(b.models, "models");
        this.pipelines = Objects.requireNonNull(b.pipelines, "pipelines");
        this.clock = b.clock;
    }

    public static Builder builder() { return new Builder(); }

    public boolean enabled() { return enabled; }

    /** The error for every operation while evolution is off. */
    public void requireEnabled() {
        if (!enabled) {
            throw new EvolutionError("Evolution is off",
                    "Turn it on with SIGIL_USE_EVOLUTION=true (or features.evolution: true in sigil.yaml) and restart.");
        }
    }

    /** Runs every case of the agent with its current prompt. */
    public Run<Evaluation> evaluate(String agentName, OptimizeOptions options, EvolutionListener listener) {
        return evaluate(agentName, options, null, listener);
    }

    /** Runs every case with the current prompt, in a session owned by {@code owner} (null: the administrators). */
    public Run<Evaluation> evaluate(String agentName, OptimizeOptions options, String owner, EvolutionListener listener) {
        requireEnabled();
        AgentDefinition agent = agents.get(agentName);
        List<TestCase> cases = cases(agent);
        Cost cost = new Cost();
        TokenPool pool = new TokenPool(options.tokenBudget(), 0);
        String id = sessions.create(null, agent.name(), owner, Map.of("kind", "evolution.evaluate", "agent", agent.name())).id();
        EventSink sink = sessions.sink(id, agent.name(), id);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("kind", "evaluate");
        started.put("agent", agent.name());
        started.put("cases", cases.size());
        started.put("options", options.toMap());
        sink.emit(EventType.EVOLUTION_STARTED, started);
        try (Pipeline pipeline = pipelines.open(agent, cost)) {
            Evaluation e = evaluator(agent, pipeline, cost, options).evaluate(agent.systemPrompt(), cases, pool, "evaluate", listener);
            Map<String, Object> done = new LinkedHashMap<>(e.summary());
            done.put("kind", "evaluate");
            done.put("status", e.complete() ? "evaluated" : "budget_exhausted");
            done.put("case_results", e.caseDetails());
            sink.emit(EventType.EVOLUTION_COMPLETED, done);
            sessions.end(id, "completed");
            return new Run<>(id, agent.name(), e);
        } catch (RuntimeException e) {
            failed(sink, e, cost);
            throw e;
        }
    }

    /** An optimisation checked and ready to run: the agent, its split and the options (nothing recorded yet). */
    public record Plan(AgentDefinition agent, Split split, OptimizeOptions options) { }

    /** An unfinished optimisation read back from its session, ready to go on. */
    public record Resumption(String id, AgentDefinition agent, Split split, OptimizeOptions options,
                             Optimizer.Progress progress, Cost.Report spent) { }

    /** Optimises the agent's prompt; an accepted prompt becomes a version (active, or pending approval). */
    public Run<OptimizationResult> optimize(String agentName, OptimizeOptions options, EvolutionListener listener) {
        return optimize(plan(agentName, options), null, null, listener);
    }

    /** Checks an optimisation (agent, cases, split) without recording anything: a client's mistake fails here. */
    public Plan plan(String agentName, OptimizeOptions options) {
        requireEnabled();
        AgentDefinition agent = agents.get(agentName);
        return new Plan(agent, Split.of(cases(agent), options.heldOut(), options.seed()), options);
    }

    /**
     * Runs a planned optimisation in a session of its own.
     *
     * @param id    the session's id (null: a new random one)
     * @param owner who owns that session (null: the administrators)
     */
    public Run<OptimizationResult> optimize(Plan plan, String id, String owner, EvolutionListener listener) {
        AgentDefinition agent = plan.agent();
        Split split = plan.split();
        OptimizeOptions options = plan.options();
        String sessionId = sessions.create(id, agent.name(), owner,
                Map.of("kind", "evolution.optimize", "agent", agent.name())).id();
        EventSink sink = sessions.sink(sessionId, agent.name(), sessionId);
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("kind", "optimize");
        started.put("agent", agent.name());
        started.put("prompt", agent.systemPrompt());
        started.put("train", split.train().stream().map(TestCase::id).toList());
        started.put("held_out", split.heldOut().stream().map(TestCase::id).toList());
        started.put("options", options.toMap());
        sink.emit(EventType.EVOLUTION_STARTED, started);
        listener.note("optimising " + agent.name() + ": " + split.train().size() + " training and "
                + split.heldOut().size() + " held-out cases, budget " + options.tokenBudget() + " tokens");
        return optimise(sessionId, sink, agent, split, options, null, Cost.Report.ZERO, listener);
    }

    /** Goes on with an optimisation that a crash (or a failure) cut short, from its last finished generation. */
    public Run<OptimizationResult> resume(String optimizationId, EvolutionListener listener) {
        return resume(planResume(optimizationId), listener);
    }

    /** Reads an unfinished optimisation back and checks that it can go on (same prompt, its cases still there). */
    public Resumption planResume(String optimizationId) {
        requireEnabled();
        EvolutionJournal.Recorded rec = EvolutionJournal.read(sessions, optimizationId);
        AgentDefinition agent = agents.get(rec.agent());
        if (!agent.systemPrompt().equals(rec.prompt())) {
            throw new EvolutionError("Agent '" + agent.name() + "' has changed since optimisation " + optimizationId
                    + " started", "Start a new optimisation: sigil evolve optimize " + agent.name());
        }
        Map<String, TestCase> byId = new LinkedHashMap<>();
        for (TestCase c : cases(agent)) byId.put(c.id(), c);
        Split split = new Split(pick(byId, rec.train(), optimizationId), pick(byId, rec.heldOut(), optimizationId));
        return new Resumption(optimizationId, agent, split, rec.options(), rec.progress(), rec.cost());
    }

    public Run<OptimizationResult> resume(Resumption r, EvolutionListener listener) {
        EventSink sink = sessions.sink(r.id(), r.agent().name(), r.id());
        return optimise(r.id(), sink, r.agent(), r.split(), r.options(), r.progress(), r.spent(), listener);
    }

    private static List<TestCase> pick(Map<String, TestCase> byId, List<String> ids, String optimizationId) {
        List<TestCase> out = new ArrayList<>();
        for (String i : ids) {
            TestCase c = byId.get(i);
            if (c == null) {
                throw new EvolutionError("Test case '" + i + "' of optimisation " + optimizationId + " no longer exists",
                        "Start a new optimisation with the current cases.");
            }
            out.add(c);
        }
        return out;
    }

    private Run<OptimizationResult> optimise(String id, EventSink sink, AgentDefinition agent, Split split,
                                             OptimizeOptions options, Optimizer.Progress progress, Cost.Report spent,
                                             EvolutionListener listener) {
        Cost cost = new Cost(spent);
        TokenPool pool = new TokenPool(options.tokenBudget(), spent.totalTokens());
        ChatModel helper = new CountingModel(models.resolve(options.model() != null ? options.model() : agent.model()), cost);
        try (Pipeline pipeline = pipelines.open(agent, cost)) {
            Evaluator evaluator = evaluator(agent, pipeline, cost, options);
            var rewriter = new ReflectiveRewriter(helper, contractSummary(agent), pool, listener::note);
            Optimizer optimizer = new Optimizer(evaluator, List.of(new Optimizer.Source(rewriter, options.reflective()),
                    new Optimizer.Source(new Mutator(options.seed()), options.mutations())), options, pool, cost, listener);
            OptimizationResult r = optimizer.run(agent.systemPrompt(), split.train(), split.heldOut(), progress,
                    (g, beam, evaluated, c) -> {
                        sink.emit(EventType.EVOLUTION_GENERATION, EvolutionJournal.generation(g, beam, evaluated, c));
                        listener.generation(g, options.generations());
                    });
            r = r.withCost(cost.report());
            if (r.status() == OptimizationResult.Status.IMPROVED) r = keep(agent, r, id, options.requireApproval());
            Map<String, Object> done = new LinkedHashMap<>(r.toMap());
            done.put("kind", "optimize");
            sink.emit(EventType.EVOLUTION_COMPLETED, done);
            sessions.end(id, "completed");
            listener.note(r.status().wireName() + ": " + r.reason());
            return new Run<>(id, agent.name(), r);
        } catch (RuntimeException e) {
            failed(sink, e, cost);
            throw e;
        }
    }

    /** Stores the accepted prompt as a version (and first the current one, if it is not a version yet). */
    private OptimizationResult keep(AgentDefinition agent, OptimizationResult r, String optimizationId, boolean approval) {
        synchronized (versionLock) {
            PromptVersion current = currentVersion(agent, r.baseline());
            BeamEntry c = r.candidate();
            PromptVersion draft = new PromptVersion(agent.name(), null, c.candidate().prompt(), r.heldOut().score(),
                    r.heldOut().confidence(), c.drift(), current.versionId(), generationOf(r), clock.instant(),
                    approval ? PromptVersion.Status.PENDING_APPROVAL : PromptVersion.Status.SUPERSEDED, optimizationId);
            PromptVersion added = versions.add(draft);
            if (approval) return r.withVersion(OptimizationResult.Status.PENDING_APPROVAL, added.versionId());
            apply(agent.name(), added);
            return r.withVersion(OptimizationResult.Status.IMPROVED, added.versionId());
        }
    }

    private static int generationOf(OptimizationResult r) { return r.generations(); }

    /** The active version when it is the agent's prompt; else the agent's prompt stored as a new active version. */
    private PromptVersion currentVersion(AgentDefinition agent, Evaluation baseline) {
        var active = versions.active(agent.name());
        if (active.isPresent() && active.get().prompt().equals(agent.systemPrompt())) return active.get();
        PromptVersion added = versions.add(new PromptVersion(agent.name(), null, agent.systemPrompt(),
                baseline == null ? 0 : baseline.score(), baseline == null ? 0 : baseline.confidence(), 0,
                active.map(PromptVersion::versionId).orElse(null), 0, clock.instant(), PromptVersion.Status.SUPERSEDED, null));
        return versions.activate(agent.name(), added.versionId());
    }

    /** Makes the version active and the agent's prompt. */
    private PromptVersion apply(String agentName, PromptVersion v) {
        AgentDefinition a = agents.get(agentName);
        agents.save(new AgentDefinition(a.name(), a.description(), v.prompt(), a.model(), a.tools(), a.contractName(),
                a.memoryEnabled(), a.planningEnabled(), a.strategy(), a.metadata(), a.sideEffectTools()));
        return versions.activate(agentName, v.versionId());
    }

    public List<PromptVersion> versions(String agentName) {
        requireEnabled();
        agents.get(agentName);
        return versions.list(agentName);
    }

    /** Puts a stored version back as the agent's prompt. */
    public PromptVersion rollback(String agentName, String versionId) {
        requireEnabled();
        synchronized (versionLock) {
            AgentDefinition agent = agents.get(agentName);
            PromptVersion v = versions.find(agentName, versionId).orElseThrow(() -> FilePromptVersionStore.notFound(agentName, versionId));
            if (v.status() == PromptVersion.Status.PENDING_APPROVAL || v.status() == PromptVersion.Status.REJECTED) {
                throw new InvalidInputError("Version " + versionId + " of '" + agentName + "' is " + v.status().wireName()
                        + " and was never in use", v.status() == PromptVersion.Status.PENDING_APPROVAL
                        ? "Approve it instead: sigil evolve approve " + agentName + " " + versionId : "Roll back to a version that was active.");
            }
            if (versions.active(agentName).isEmpty() || !agent.systemPrompt().equals(versions.active(agentName).get().prompt())) {
                currentVersion(agent, null); // keep the prompt being replaced, so the rollback can be undone
            }
            return apply(agentName, v);
        }
    }

    /** Approves (the prompt goes live) or rejects a pending version. */
    public PromptVersion approve(String agentName, String versionId, boolean approved) {
        requireEnabled();
        synchronized (versionLock) {
            AgentDefinition agent = agents.get(agentName);
            PromptVersion v = versions.find(agentName, versionId).orElseThrow(() -> FilePromptVersionStore.notFound(agentName, versionId));
            if (v.status() != PromptVersion.Status.PENDING_APPROVAL) {
                throw new InvalidInputError("Version " + versionId + " of '" + agentName + "' is " + v.status().wireName()
                        + ", not pending approval", "List the versions waiting: sigil evolve versions " + agentName);
            }
            if (!approved) return versions.setStatus(agentName, versionId, PromptVersion.Status.REJECTED);
            if (versions.active(agentName).isEmpty() || !agent.systemPrompt().equals(versions.active(agentName).get().prompt())) {
                currentVersion(agent, null);
            }
            return apply(agentName, v);
        }
    }

    /** Cases from the agent's recorded sessions, appended to its {@code cases.jsonl} (ids already there are skipped). */
    public SessionCases.Harvest casesFromSessions(String agentName, int limit) {
        requireEnabled();
        agents.get(agentName);
        SessionCases.Harvest h = SessionCases.from(sessions, agentName, limit);
        CaseFiles.append(agentsDir, agentName, h.cases());
        return h;
    }

    private List<TestCase> cases(AgentDefinition agent) {
        List<TestCase> cases = TestCases.load(agentsDir, agent.name());
        for (TestCase c : cases) {
            if (c.expected() == null && contractOf(agent, c) == null) {
                throw new InvalidInputError("Test case '" + c.id() + "' of '" + agent.name() + "' has nothing to judge it:"
                        + " no 'expected' and the agent has no contract", "Add 'expected' to the case, or give the agent a contract_name.");
            }
        }
        return cases;
    }

    private String contractOf(AgentDefinition agent, TestCase c) {
        if (!c.useContract()) return null;
        return c.contract() != null ? c.contract() : agent.contractName();
    }

    private Evaluator evaluator(AgentDefinition agent, CaseRunner runner, Cost cost, OptimizeOptions o) {
        ChatModel judge = new CountingModel(models.resolve(o.model() != null ? o.model() : agent.model()), cost);
        return new Evaluator(runner, new Scorer(judge), c -> contractOf(agent, c) != null, cost, o.concurrency(),
                o.repeats(), o.tokensPerRun());
    }

    private String contractSummary(AgentDefinition agent) {
        if (agent.contractName() == null) return "";
        Contract contract = contracts.get(agent.contractName());
        StringBuilder sb = new StringBuilder();
        contract.deliverables().forEach(d -> sb.append("- ").append(d.name()).append(": ").append(d.description())
                .append(d.rules().isEmpty() ? "" : " (rules: " + String.join("; ", d.rules().stream().map(Object::toString).toList()) + ")")
                .append('\n'));
        return sb.toString();
    }

    private static void failed(EventSink sink, RuntimeException e, Cost cost) {
        try {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("status", "failed");
            p.put("reason", e instanceof io.sigil.errors.SigilError s ? s.display() : e.toString());
            p.put("resumable", true);
            p.put("cost", cost.report().toMap());
            sink.emit(EventType.EVOLUTION_COMPLETED, p);
        } catch (RuntimeException ignored) {
            // the store itself failing: the run stays resumable from its last generation
        }
    }

    public static final class Builder {
        private boolean enabled;
        private AgentRegistry agents;
        private ContractRegistry contracts;
        private PromptVersionStore versions;
        private SessionManager sessions;
        private Path agentsDir;
        private ModelProvider models;
        private Pipelines pipelines;
        private Clock clock = Clock.systemUTC();

        public Builder enabled(boolean v) { enabled = v; return this; }
        public Builder agents(AgentRegistry v) { agents = v; return this; }
        public Builder contracts(ContractRegistry v) { contracts = v; return this; }
        public Builder versions(PromptVersionStore v) { versions = v; return this; }
        public Builder sessions(SessionManager v) { sessions = v; return this; }
        /** Where the agents' evolution directories (cases) are. */
        public Builder agentsDir(Path v) { agentsDir = v; return this; }
        /** Models for rewrites and judges, by model string (null: the default). */
        public Builder models(ModelProvider v) { models = v; return this; }
        public Builder pipelines(Pipelines v) { pipelines = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }

        public EvolutionService build() { return new EvolutionService(this); }
    }
}
