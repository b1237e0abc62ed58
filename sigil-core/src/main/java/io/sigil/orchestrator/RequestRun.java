package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.sigil.agents.AgentDefinition;
import io.sigil.approval.Approval;
import io.sigil.approval.ApprovalPending;
import io.sigil.approval.ApprovalResume;
import io.sigil.contracts.ContractExecutor;
import io.sigil.contracts.ContractResult;
import io.sigil.contracts.ContractValidationError;
import io.sigil.contracts.ContractValidator;
import io.sigil.contracts.ValidationError;
import io.sigil.errors.SigilError;
import io.sigil.events.EventType;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ObservedChatModel;
import io.sigil.llm.test.TestModel;
import io.sigil.routing.Intent;
import io.sigil.routing.RouteDecision;
import io.sigil.routing.RouteFactors;
import io.sigil.sessions.SessionManager;
import io.sigil.telemetry.GenAi;
import io.sigil.telemetry.LogContext;
import io.sigil.telemetry.Tracing;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenTracker;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request on its way through the pipeline: route, recall, plan or reason, contract, record, learn. Opens the
 * run's session, event queue and token budget ({@link RunContext}), hands the answer to the stage that fits
 * ({@link ReasonStage}, {@link PlanStage}, {@link ClientTurnStage}, or {@link ApprovalStage} when it resumes after a
 * decision), holds the draft to the contract, and turns how it ended into the recorded response.
 */
final class RequestRun {
    private final Orchestrator o;
    private final String requestId;
    private final RunRequest request;
    private final Orchestrator.Prepared prepared;
    private final RunListener listener;
    private final AtomicBoolean cancelled;
    private final AtomicBoolean timedOut;
    /** Non-null when this run goes on from a decided approval instead of starting anew. */
    private final ApprovalResume resume;
    private final RunApprovals approvals;
    private final RunNotes notes;
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final AtomicReference<String> cancelReason = new AtomicReference<>();
    private final Object interruptLock = new Object();
    private boolean interruptible; // guarded by interruptLock
    private TokenTracker tracker; // set once the session is open, read by the span after the run

    RequestRun(Orchestrator o, String requestId, RunRequest request, Orchestrator.Prepared prepared,
               RunListener listener, AtomicBoolean cancelled, AtomicBoolean timedOut, ApprovalResume resume) {
        this.resume = resume;
        this.approvals = new RunApprovals(o.approvals.rules(), o.sessions, listener);
        this.notes = new RunNotes(listener);
        this.o = o;
        this.requestId = requestId;
        this.request = request;
        this.prepared = prepared;
        this.listener = listener;
        this.cancelled = cancelled;
        this.timedOut = timedOut;
    }

    /** Why the run is being cancelled (recorded with its CANCELLED error); the first reason given wins. */
    void cancelReason(String reason) {
        if (reason != null) cancelReason.compareAndSet(null, reason);
    }

    /** Interrupts the work in flight (model calls, plan steps); the run still records how it ended. */
    void stopWork() {
        synchronized (interruptLock) {
            Thread t = thread.get();
            if (t != null && interruptible) t.interrupt();
        }
    }

    /**
     * Only the work between opening the session and recording the outcome may be interrupted: before and after
     * it the run thread writes to the event store, and an interrupt during file I/O closes the store's channel.
     */
    private void interruptible(boolean on) {
        synchronized (interruptLock) {
            interruptible = on;
            if (!on) Thread.interrupted(); // a late interrupt must not cut the recording short
            else if (cancelled.get() || timedOut.get()) Thread.currentThread().interrupt(); // stopped meanwhile
        }
    }

    /** Runs the request with its session, agent and request ids on every log line, on whichever thread. */
    RunResponse execute() {
        String agentName = prepared.agent() == null ? null : prepared.agent().name();
        Map<String, String> logBefore = LogContext.enter(null, agentName, requestId);
        try {
            return executeInSpan();
        } finally {
            LogContext.restore(logBefore);
        }
    }

    /**
     * The run in an {@code invoke_agent} span (OpenTelemetry GenAI conventions) under the caller's trace context,
     * with the tracer in the context so that the stages, model calls and tools below trace too.
     */
    private RunResponse executeInSpan() {
        try (io.opentelemetry.context.Scope traced = Tracing.with(Context.current(), o.telemetry).makeCurrent()) {
            AgentDefinition agent = prepared.agent();
            Span span = Tracing.tracer().spanBuilder(GenAi.INVOKE_AGENT + (agent == null ? "" : " " + agent.name()))
                    .setAttribute(GenAi.OPERATION_NAME, GenAi.INVOKE_AGENT)
                    .setAttribute(GenAi.SIGIL_REQUEST_ID, requestId).startSpan();
            if (agent != null) span.setAttribute(GenAi.AGENT_NAME, agent.name());
            try (io.opentelemetry.context.Scope current = span.makeCurrent()) {
                RunResponse response = executeTraced();
                span.setAttribute(GenAi.CONVERSATION_ID, response.sessionId());
                span.setAttribute(GenAi.SIGIL_STATUS, response.status().name().toLowerCase(Locale.ROOT));
                span.setAttribute(GenAi.USAGE_INPUT_TOKENS, tracker.used().inputTokens());
                span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, tracker.used().outputTokens());
                if (response.status() != RunStatus.SUCCESS) span.setStatus(StatusCode.ERROR, String.join("; ", response.errors()));
                return response;
            } catch (RuntimeException | Error e) {
                Tracing.fail(span, e);
                throw e;
            } finally {
                span.end();
            }
        }
    }

    /** How the stages ended, before it is recorded. */
    private static final class Outcome {
        JsonNode output;
        RouteDecision route;
        String planId;
        RunResponse.ContractSummary contract;
        RunStatus status;
        String answer;
        Approval awaiting;
    }

    private RunResponse executeTraced() {
        thread.set(Thread.currentThread());
        long start = System.nanoTime();
        AgentDefinition agent = prepared.agent();
        SessionManager.NewSession created = prepared.session() == null ? o.sessions.open(agent == null ? null
                : agent.name(), request.userId(), Map.of("request_id", requestId)) : null;
        RunContext run = open(created == null ? prepared.session().id() : created.id(), created);
        Outcome out = new Outcome();
        try {
            stages(run, out);
        } catch (ApprovalPending pending) {
            out.awaiting = new ApprovalStage(run, approvals).request(pending, created);
            out.status = RunStatus.AWAITING_APPROVAL;
            out.output = RunContext.JSON.createObjectNode().put("answer", "Waiting for a human decision on "
                    + out.awaiting.tool() + " (call " + out.awaiting.callId() + "): " + out.awaiting.reason()
                    + ". Decide with POST /runs/" + requestId + "/approvals/" + out.awaiting.callId()
                    + " or 'sigil approvals'.");
        } catch (ContractValidationError e) {
            out.contract = new RunResponse.ContractSummary(prepared.contract().name(), "failed", e.attempts().size(),
                    e.errors().stream().map(RequestRun::describe).toList());
            notes.errors.add(e.display());
            notes.hint(e);
            out.status = RunStatus.FAILED;
        } catch (RuntimeException e) {
            out.status = failed(e, out.output != null);
        }
        interruptible(false); // the run is over: what follows must not be cut short by a late interrupt
        return finish(run, out, start);
    }

    /** Opens the run's event queue, token budget and model in the session; the run may be interrupted from here on. */
    private RunContext open(String sessionId, SessionManager.NewSession created) {
        AgentDefinition agent = prepared.agent();
        LogContext.enter(sessionId, agent == null ? null : agent.name(), requestId);
        QueuedEventSink events = new QueuedEventSink(o.sessions.sink(sessionId, agent == null ? null : agent.name(),
                request.correlationId()), o.flushClock, requestId);
        // A new session is stored with the run's first append (at its end, or within QueuedEventSink.LINGER).
        if (created != null) events.emit(EventType.SESSION_STARTED, created.startedPayload());
        listener.sessionStarted(sessionId, created != null);
        interruptible(true);
        tracker = new TokenTracker(TokenBudget.ofTotal(request.maxTokens() != null ? request.maxTokens()
                : o.config.maxTotalTokens()), w -> notes.warn(String.format(Locale.ROOT,
                "token budget %.0f%% used (%d of %d %s tokens)", w.utilization() * 100, w.used(), w.max(),
                w.limit().label())));
        // Every model call of the request observed (metrics, llm.called events), counted and streamed to the listener.
        ChatModel observed = new ObservedChatModel(prepared.model(), o.meters,
                call -> events.emit(EventType.LLM_CALLED, RunRecorder.llmCall(call))).withTracker(tracker);
        ChatModel model = new ListenerStreamingModel(observed, listener);
        // A resumed run goes on with the request whose message is recorded already.
        if (resume == null) events.emit(EventType.MESSAGE_ADDED, RunRecorder.userMessage(request, requestId, prepared));
        return new RunContext(o, new RunContext.Input(requestId, sessionId, request, prepared),
                new RunContext.Outputs(listener, notes, events), new RunContext.Budgeted(model, tracker));
    }

    /** Route, recall, answer (by the stage that fits), contract; fills {@code out} as it goes. */
    private void stages(RunContext run, Outcome out) {
        AgentDefinition agent = prepared.agent();
        warnAboutFeaturesOff(agent);
        RouteDecision route = resume != null ? null : Tracing.stage("route", this::route);
        out.route = route;
        if (route != null) run.events().emit(EventType.ROUTE_DECIDED, RunRecorder.route(route));
        if (resume == null && agent == null && route.intent() != Intent.RUN_AGENT
                && route.intent() != Intent.QUERY_MEMORY && route.intent() != Intent.GENERAL_CHAT) {
            out.output = new BuilderIntents(o, run.model(), agent, run.metadataForCalls()).handle(route, request.message());
        } else {
            Draft draft = draft(run, route);
            out.planId = draft.planId();
            out.answer = draft.text();
            if (!draft.clientCalls().isEmpty()) {
                // The caller runs these tools and sends the results back; there is no answer to hold to a contract yet.
                out.output = ClientTurnStage.callsJson(draft.clientCalls());
                notes.metadata.put(RunResponse.CLIENT_TOOL_CALLS, draft.clientCalls().size());
            } else if (prepared.contract() != null) {
                ContractResult result = Tracing.stage("contract", () -> contract(run, draft.text()));
                out.contract = summary(result);
                out.output = result.output();
                if (!result.valid()) notes.errors.addAll(result.errors().stream().map(RequestRun::describe).toList());
                notes.warnings.addAll(result.warnings());
            } else {
                out.output = RunContext.JSON.createObjectNode().put("answer", draft.text());
            }
            if (draft.complete()) draft.errors().forEach(notes::warn); // recovered on the way (a replan)
            else notes.errors.addAll(draft.errors());
        }
        out.status = notes.errors.isEmpty() && (out.contract == null || out.contract.valid())
                ? RunStatus.SUCCESS : RunStatus.PARTIAL;
    }

    /** The answer before the contract, from the stage that fits the run. */
    private Draft draft(RunContext run, RouteDecision route) {
        if (resume != null) return Tracing.stage("reason", () -> new ApprovalStage(run, approvals).resumed(resume));
        RecallStage recall = new RecallStage(run);
        List<String> memories = Tracing.stage("recall", () -> recall.forPrompt(route));
        if (request.conversation().clientTurn()) {
            return Tracing.stage("reason", () -> new ClientTurnStage(run, approvals).answer(memories));
        }
        if (usePlanning(prepared.agent(), route)) {
            return Tracing.stage("plan", () -> new PlanStage(run, approvals, recall).plan(memories, timedOut, reason -> {
                cancelReason(reason);
                cancelled.set(true);
            }));
        }
        return Tracing.stage("reason", () -> new ReasonStage(run, approvals).reason(route, memories));
    }

    /** The status of a run a stage ended by throwing, with its error (and hint) noted. */
    private RunStatus failed(RuntimeException e, boolean hasOutput) {
        RunStatus status = timedOut.get() ? RunStatus.TIMEOUT : cancelled.get() ? RunStatus.CANCELLED : RunStatus.FAILED;
        notes.errors.add(status == RunStatus.TIMEOUT ? "[TIMEOUT] The request did not finish within its deadline"
                : status == RunStatus.CANCELLED ? "[CANCELLED] The request was cancelled"
                        + (cancelReason.get() == null ? "" : ": " + cancelReason.get())
                : e instanceof SigilError s ? s.display() : "[INTERNAL_ERROR] " + e);
        if (status == RunStatus.FAILED && e instanceof SigilError s) notes.hint(s);
        return hasOutput && status == RunStatus.FAILED ? RunStatus.PARTIAL : status;
    }

    /** Records how the run ended, hands it to learning, and answers only once its events are stored. */
    private RunResponse finish(RunContext run, Outcome out, long start) {
        if (out.contract != null) listener.contractChecked(out.contract);
        RunRecorder.end(run, out.status, out.output);
        RunRecorder.learn(run, out.status, out.answer);
        var metadata = notes.metadata;
        metadata.put("model", run.model().provider());
        metadata.put("llm_calls", tracker.calls());
        metadata.put(RunResponse.INPUT_TOKENS, tracker.used().inputTokens());
        metadata.put(RunResponse.OUTPUT_TOKENS, tracker.used().outputTokens());
        if (TestModel.NAME.equals(run.model().provider())) {
            metadata.put("synthetic", true);
            notes.warn(TestModel.SYNTHETIC_WARNING);
        }
        RunStatus status = out.status;
        List<String> notRecorded = run.events().close(Duration.ofSeconds(30));
        if (!notRecorded.isEmpty()) {
            // Acknowledged means stored: a run whose events are not all durable is not a success, whatever it
            // answered, and its caller is told to retry (HTTP 507 when the disk is full, 503 otherwise).
            status = RunStatus.FAILED;
            notes.errors.add("[STATE_ERROR] The run's events could not be stored (" + notRecorded.getFirst() + "); it is"
                    + " not acknowledged: retry once storage is available");
            metadata.put(RunResponse.STORAGE_ERROR, run.events().outOfSpace() ? "no_space" : "unavailable");
        }
        // Announced only once its events are durable: a decision that follows at once finds the request.
        if (out.awaiting != null && notRecorded.isEmpty()) listener.approvalRequested(out.awaiting);
        RunResponse response = new RunResponse(requestId, run.sessionId(), status, out.output, out.route, out.planId,
                out.contract, tracker.used().totalTokens(), (System.nanoTime() - start) / 1_000_000, notes.errors,
                notes.warnings, metadata);
        listener.completed(response);
        return response;
    }

    private RouteDecision route() {
        RouteDecision route = o.config.features().routing() ? o.router.route(request.message())
                : new RouteDecision(Intent.GENERAL_CHAT, 1.0, 0.5, Intent.GENERAL_CHAT.handler(), false, false, false,
                        new RouteFactors("off", "routing is off (SIGIL_USE_ROUTING=false)",
                                Map.of(), Map.of(), null, "routing off"));
        listener.routed(route);
        notes.metadata.put("intent", route.intent().wireName());
        notes.metadata.put("complexity", route.complexity());
        return route;
    }

    /** An agent that relies on a subsystem the deployment turned off runs without it, and says so. */
    private void warnAboutFeaturesOff(AgentDefinition agent) {
        if (agent == null) return;
        var f = o.config.features();
        if (agent.memoryEnabled() && !f.memory()) {
            notes.warn("agent " + agent.name() + " uses memory, but memory is off (SIGIL_USE_MEMORY=false):"
                    + " nothing was recalled or learned");
        }
        if (agent.planningEnabled() && !f.planning()) {
            notes.warn("agent " + agent.name() + " plans complex requests, but planning is off (SIGIL_USE_PLANNING=false):"
                    + " answered without a plan");
        }
    }

    private boolean usePlanning(AgentDefinition agent, RouteDecision route) {
        return o.config.features().planning() && (agent == null || agent.planningEnabled())
                && route.complexity() > RouteDecision.PLANNING_THRESHOLD;
    }

    /**
     * Holds the draft to the contract. The reasoning stage already had the agent's tools; this stage only turns
     * the draft into the deliverables, so it offers none, which lets providers use their native schema mode.
     */
    private ContractResult contract(RunContext run, String draft) {
        ContractExecutor executor = ContractExecutor.builder(run.model()).validator(new ContractValidator(false))
                .events(run.events()).metrics(o.meters).defaultMaxTotalTokens(o.config.maxTotalTokens()).build();
        String task = request.message() + (draft == null || draft.isBlank() ? ""
                : "\n\nDraft answer from the agent's own reasoning (use what is right in it, correct what is not):\n"
                + draft);
        return executor.execute(prepared.contract(), task);
    }

    private static RunResponse.ContractSummary summary(ContractResult r) {
        return new RunResponse.ContractSummary(r.contractName(), r.outcome().label(), r.attempts().size(),
                r.errors().stream().map(RequestRun::describe).toList());
    }

    private static String describe(ValidationError e) {
        return e.field() + ": " + e.reason();
    }
}
