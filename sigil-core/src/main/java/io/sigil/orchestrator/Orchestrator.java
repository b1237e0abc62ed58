package io.sigil.orchestrator;

import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.contracts.Contract;
import io.sigil.contracts.ContractRegistry;
import io.sigil.events.SessionEndedError;
import io.sigil.guard.InjectionGuard;
import io.sigil.guard.Verdict;
import io.sigil.llm.ChatModel;
import io.sigil.memory.MemoryService;
import io.sigil.planning.PlanCache;
import io.sigil.reasoning.ReasoningMetrics;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.Router;
import io.sigil.sessions.Session;
import io.sigil.sessions.SessionManager;
import io.sigil.tools.ToolRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Sigil's main path (sigil-design.md section 1): a request is routed, memories recalled, planned when complex,
 * reasoned, held to its contract, recorded as events and learned from. This class checks the request and
 * starts it; {@link RequestRun} carries one request through the pipeline.
 *
 * <p>Client mistakes (an unknown agent, session or contract, an ended session, a bad model string) are thrown
 * at once as {@link io.sigil.errors.SigilError}s; everything that goes wrong later ends in a recorded response
 * with status failed, partial, timeout or cancelled.
 */
public final class Orchestrator {
    final OrchestratorConfig config;
    final AgentRegistry agents;
    final AgentDefinitions definitions;
    final ModelProvider models;
    final Router router;
    final SessionManager sessions;
    final Supplier<MemoryService> memory;
    final ContractRegistry contracts;
    final ToolRegistry tools;
    final PlanCache planCache;
    final MeterRegistry meters;
    /** Traces runs when it is an SDK (sigil-server installs one when telemetry is on); the no-op otherwise. */
    final io.opentelemetry.api.OpenTelemetry telemetry;
    final ReasoningMetrics reasoningMetrics;
    /** Screens each request's message for prompt injection before it runs (security.injection_mode). */
    final InputScreening screening;
    /**
     * Enforces run deadlines; one timer thread, started on demand and ended when idle (no close needed). Its
     * tasks never block.
     */
    final ScheduledThreadPoolExecutor timer;
    /** Flushes the events of runs still going {@link QueuedEventSink#LINGER} after they queued some. */
    final LingerClock flushClock = new LingerClock("run-event-flush", QueuedEventSink.LINGER, Duration.ofSeconds(10));
    final Clock clock;
    /** Which tool calls wait for a human decision, and how long a decision may take. */
    final io.sigil.approval.ApprovalSettings approvals;
    /** The plans this orchestrator's runs are executing, for operators to see and steer. */
    final io.sigil.planning.RunningPlans plans = new io.sigil.planning.RunningPlans();
    private BackgroundLearner learner; // started on the first run that learns
    private boolean closed;

    /** An orchestrator built fluently: see {@link OrchestratorBuilder} for what is required and the defaults. */
    public static OrchestratorBuilder builder() { return new OrchestratorBuilder(); }

    /**
     * @param memory opens the memory service on first use (only called when memory is on)
     * @param telemetry where runs send their spans (OpenTelemetry GenAI conventions); no-op: not traced
     */
    Orchestrator(OrchestratorConfig config, AgentRegistry agents, AgentDefinitions definitions,
                        ModelProvider models, Router router, SessionManager sessions, Supplier<MemoryService> memory,
                        ContractRegistry contracts, ToolRegistry tools, PlanCache planCache, MeterRegistry meters,
                        Clock clock, io.opentelemetry.api.OpenTelemetry telemetry, Supplier<InjectionGuard> inputGuard,
                        io.sigil.approval.ApprovalSettings approvals) {
        this.approvals = Objects.requireNonNull(approvals);
        this.telemetry = Objects.requireNonNull(telemetry);
        this.screening = new InputScreening(inputGuard, meters);
        this.config = Objects.requireNonNull(config);
        this.agents = Objects.requireNonNull(agents);
        this.definitions = Objects.requireNonNull(definitions);
        this.models = Objects.requireNonNull(models);
        this.router = Objects.requireNonNull(router);
        this.sessions = Objects.requireNonNull(sessions);
        this.memory = Objects.requireNonNull(memory);
        this.contracts = Objects.requireNonNull(contracts);
        this.tools = Objects.requireNonNull(tools);
        this.planCache = Objects.requireNonNull(planCache);
        this.meters = Objects.requireNonNull(meters);
        this.reasoningMetrics = new ReasoningMetrics(meters);
        this.timer = timer();
        this.clock = Objects.requireNonNull(clock);
    }

    /** The queue that learns from finished runs off the request path. */
    synchronized BackgroundLearner learner() {
        if (learner == null) {
            learner = new BackgroundLearner(BackgroundLearner.DEFAULT_CAPACITY, BackgroundLearner.DEFAULT_WORKERS);
            if (closed) learner.close(Duration.ZERO); // after close, runs are answered but no longer learned from
        }
        return learner;
    }

    /**
     * Waits until every finished run has been learned from (benchmarks, tests, and commands that read memory
     * right after a run); false if that took longer than {@code wait}.
     */
    public boolean awaitLearning(Duration wait) throws InterruptedException {
        BackgroundLearner l;
        synchronized (this) {
            l = learner;
        }
        return l == null || l.awaitIdle(wait);
    }

    /**
     * Stops learning: drains the runs queued for learning (up to {@code wait}) so that nothing learned is lost
     * on shutdown. Call before closing the memory store. Returns how many runs were left unlearned.
     */
    public int close(Duration wait) {
        BackgroundLearner l;
        synchronized (this) {
            closed = true;
            l = learner;
        }
        return l == null ? 0 : l.close(wait);
    }

    /** The plans executing in this process (pause, resume or abort them through their run). */
    public io.sigil.planning.RunningPlans runningPlans() { return plans; }

    /** Runs a request to the end and returns its response. */
    public RunResponse handle(RunRequest request, RunListener listener) {
        return start(request, listener).await();
    }

    /** Checks the request, then runs it on a virtual thread with its deadline. */
    public RunHandle start(RunRequest request, RunListener listener) {
        Launch launch = launch(request, listener);
        // The caller's trace context (an incoming traceparent) goes with the run to its thread.
        Thread.ofVirtual().name("run-" + launch.requestId()).start(io.opentelemetry.context.Context.current().wrap(launch::execute));
        return launch.handle();
    }

    /**
     * Checks the request, hands its handle to {@code started} (to cancel it meanwhile), then runs it on the calling
     * thread with its deadline and returns its response. For a caller that waits for the whole run anyway (a JSON
     * response): it saves the hand-off to a thread of its own, which on a loaded server queued behind every other
     * runnable task (about half the time of the slowest requests). Cancellation and the deadline interrupt the
     * calling thread only while the run's work is interruptible (never while it records events), and the run
     * clears any interrupt of its own before returning.
     */
    public RunResponse runHere(RunRequest request, RunListener listener, java.util.function.Consumer<RunHandle> started) {
        Launch launch = launch(request, listener);
        started.accept(launch.handle());
        launch.execute();
        return launch.handle().await();
    }

    /**
     * Goes on with a run that paused for approval, from what its events recorded ({@link
     * io.sigil.approval.Approvals#decide} returns it after appending the decision): on the calling thread, like
     * {@link #runHere}. The run keeps its request id; its session must still be active.
     */
    public RunResponse resumeHere(io.sigil.approval.ApprovalResume resume, RunListener listener,
                                  java.util.function.Consumer<RunHandle> started) {
        Launch launch = launch(resumed(resume), listener, resume.runId(), resume);
        started.accept(launch.handle());
        launch.execute();
        return launch.handle().await();
    }

    /** {@link #resumeHere} on a virtual thread of its own. */
    public RunHandle resume(io.sigil.approval.ApprovalResume resume, RunListener listener) {
        Launch launch = launch(resumed(resume), listener, resume.runId(), resume);
        Thread.ofVirtual().name("run-" + launch.requestId()).start(io.opentelemetry.context.Context.current().wrap(launch::execute));
        return launch.handle();
    }

    /** The original request again, as the session's owner asked it. */
    private static RunRequest resumed(io.sigil.approval.ApprovalResume r) {
        io.sigil.sessions.Caller caller = r.owner() == null ? io.sigil.sessions.Caller.LOCAL_ADMIN
                : io.sigil.sessions.Caller.user(r.owner());
        return RunRequest.builder(r.message()).sessionId(r.sessionId()).agent(r.agent()).model(r.model())
                .contract(r.contract()).userId(r.userId()).caller(caller).build();
    }

    /** A checked request with its deadline set, to be executed on some thread. */
    private record Launch(String requestId, RequestRun run, CompletableFuture<RunResponse> response, RunHandle handle) {
        void execute() {
            try {
                response.complete(run.execute());
            } catch (Throwable t) {
                response.completeExceptionally(t);
            }
        }
    }

    private Launch launch(RunRequest received, RunListener listener) {
        return launch(received, listener, io.sigil.events.Ids.string(), null);
    }

    private Launch launch(RunRequest received, RunListener listener, String requestId,
                          io.sigil.approval.ApprovalResume resume) {
        // Before anything else: a blocked message must not open a session, touch memory or reach a model.
        Verdict screened = screening.screen(received.message());
        RunRequest request = screened.action() == Verdict.Action.SANITIZED ? received.withMessage(screened.text())
                : received;
        Prepared prepared = prepare(request, screened);
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        CompletableFuture<RunResponse> response = new CompletableFuture<>();
        RequestRun run = new RequestRun(this, requestId, request, prepared, listener == null ? RunListener.NONE
                : listener, cancelled, timedOut, resume);
        Duration deadline = request.timeoutSeconds() == null ? config.defaultTimeout()
                : Duration.ofMillis((long) (request.timeoutSeconds() * 1000));
        ScheduledFuture<?> enforcement = timer.schedule(() -> {
            if (response.isDone()) return;
            timedOut.set(true);
            run.stopWork();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        response.whenComplete((r, t) -> enforcement.cancel(false));
        return new Launch(requestId, run, response, new RunHandle(response, reason -> {
            run.cancelReason(reason);
            cancelled.set(true);
            run.stopWork();
        }));
    }

    private static ScheduledThreadPoolExecutor timer() {
        var timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("run-timer").factory());
        timer.setRemoveOnCancelPolicy(true); // finished runs must not stay queued until their deadline
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** What a request resolves to before it runs. */
    record Prepared(AgentDefinition agent, Session session, Contract contract, StrategyName strategy, ChatModel model,
                    Verdict screening) { }

    private Prepared prepare(RunRequest request, Verdict screening) {
        AgentDefinition agent = request.agentName() == null ? null : agents.get(request.agentName());
        Session session = null;
        if (request.sessionId() != null) {
            session = sessions.load(request.sessionId(), request.caller());
            if (!session.active()) {
                throw new SessionEndedError(request.sessionId());
            }
        }
        String contractName = request.contractName() != null ? request.contractName()
                : agent == null ? null : agent.contractName();
        // A contract the request or the agent declares is always enforced, wherever Sigil runs from and whatever
        // features.contracts says: that flag governs only contracts that routing would infer.
        Contract contract = contractName == null ? request.schemaContract() : contracts.get(contractName);
        String strategyName = request.forceStrategy() != null ? request.forceStrategy()
                : agent == null ? null : agent.strategy();
        StrategyName strategy = strategyName == null ? null : StrategyName.parse(strategyName);
        String modelString = request.model() != null ? request.model() : agent == null ? null : agent.model();
        ChatModel model = models.resolve(modelString); // a bad model string or a missing key: the caller's to fix
        return new Prepared(agent, session, contract, strategy, model, screening);
    }
}
