package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.agents.AgentDefinition;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.sigil.contracts.ContractExecutor;
import io.sigil.telemetry.GenAi;
import io.sigil.telemetry.Tracing;
import io.sigil.contracts.ContractResult;
import io.sigil.contracts.ContractValidationError;
import io.sigil.contracts.ContractValidator;
import io.sigil.contracts.ValidationError;
import io.sigil.context.ContextManager;
import io.sigil.context.ContextRequest;
import io.sigil.context.ExtractiveSummarizer;
import io.sigil.context.TokenCounter;
import io.sigil.errors.SigilError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.LlmCall;
import io.sigil.llm.Message;
import io.sigil.llm.ObservedChatModel;
import io.sigil.llm.ToolCall;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanExecutor;
import io.sigil.planning.PlanListener;
import io.sigil.planning.PlanOutcome;
import io.sigil.planning.PlanRun;
import io.sigil.planning.PlanStep;
import io.sigil.planning.Planner;
import io.sigil.planning.StepResult;
import io.sigil.reasoning.ReasoningManager;
import io.sigil.reasoning.ReasoningOutcome;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.Intent;
import io.sigil.routing.RouteDecision;
import io.sigil.sessions.Session;
import io.sigil.sessions.SessionManager;
import io.sigil.telemetry.LogContext;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;
import io.sigil.tokens.TokenTracker;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolObserver;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolResult;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request on its way through the pipeline: route, recall, plan or reason, contract, record, learn.
 * Owns the request's token tracker (every model call of the request counts against one budget), its event
 * sink and the lists of errors and warnings that end up in the response.
 */
final class RequestRun {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RequestRun.class);
    private static final ObjectMapper JSON = io.sigil.json.JsonFactories.mapper().build();
    private static final List<String> STRATEGIES = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).toList();

    private final Orchestrator o;
    private final String requestId;
    private final RunRequest request;
    private final Orchestrator.Prepared prepared;
    private final RunListener listener;
    private final AtomicBoolean cancelled;
    private final AtomicBoolean timedOut;
    /** Non-null when this run goes on from a decided approval instead of starting anew. */
    private final io.sigil.approval.ApprovalResume resume;
    private final RunApprovals approvals;
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private final AtomicReference<String> cancelReason = new AtomicReference<>();
    private final Object interruptLock = new Object();
    private boolean interruptible; // guarded by interruptLock
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private TokenTracker tracker;
    private QueuedEventSink events;
    private ChatModel model;
    private String sessionId;

    RequestRun(Orchestrator o, String requestId, RunRequest request, Orchestrator.Prepared prepared,
               RunListener listener, AtomicBoolean cancelled, AtomicBoolean timedOut,
               io.sigil.approval.ApprovalResume resume) {
        this.resume = resume;
        this.approvals = new RunApprovals(o.approvals.rules(), o.sessions, listener);
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
                span.setAttribute(GenAi.SIGIL_STATUS, response.status().name().toLowerCase(java.util.Locale.ROOT));
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

    private RunResponse executeTraced() {
        thread.set(Thread.currentThread());
        long start = System.nanoTime();
        AgentDefinition agent = prepared.agent();
        SessionManager.NewSession created = prepared.session() == null ? o.sessions.open(agent == null ? null
                : agent.name(), request.userId(), Map.of("request_id", requestId)) : null;
        sessionId = created == null ? prepared.session().id() : created.id();
        LogContext.enter(sessionId, agent == null ? null : agent.name(), requestId);
        events = new QueuedEventSink(o.sessions.sink(sessionId, agent == null ? null : agent.name(),
                request.correlationId()), o.flushClock, requestId);
        // A new session is stored with the run's first append (at its end, or within QueuedEventSink.LINGER).
        if (created != null) events.emit(EventType.SESSION_STARTED, created.startedPayload());
        listener.sessionStarted(sessionId, created != null);
        interruptible(true);
        tracker = new TokenTracker(TokenBudget.ofTotal(request.maxTokens() != null ? request.maxTokens()
                : o.config.maxTotalTokens()), w -> warn(String.format(java.util.Locale.ROOT,
                "token budget %.0f%% used (%d of %d %s tokens)", w.utilization() * 100, w.used(), w.max(),
                w.limit().label())));
        model = buildModel();
        // A resumed run goes on with the request whose message is recorded already.
        if (resume == null) events.emit(EventType.MESSAGE_ADDED, userMessage());
        io.sigil.approval.Approval awaiting = null;

        JsonNode output = null;
        RouteDecision route = null;
        String planId = null;
        RunResponse.ContractSummary contract = null;
        RunStatus status;
        String answer = null;
        try {
            warnAboutFeaturesOff(agent);
            route = resume != null ? null : Tracing.stage("route", this::route);
            RouteDecision routed = route;
            if (resume == null && agent == null && route.intent() != Intent.RUN_AGENT
                    && route.intent() != Intent.QUERY_MEMORY && route.intent() != Intent.GENERAL_CHAT) {
                output = new BuilderIntents(o, model, agent, metadataForCalls()).handle(route, request.message());
            } else {
                List<String> memories = resume != null ? List.of() : Tracing.stage("recall", () -> recall(agent, routed));
                Draft draft = resume != null ? Tracing.stage("reason", () -> resumed(agent))
                        : request.conversation().clientTurn() ? Tracing.stage("reason", () -> clientTurn(agent, memories))
                        : usePlanning(agent, route) ? Tracing.stage("plan", () -> plan(agent, routed, memories))
                        : Tracing.stage("reason", () -> reason(agent, routed, memories));
                planId = draft.planId();
                answer = draft.text();
                if (!draft.clientCalls().isEmpty()) {
                    // The caller runs these tools and sends the results back; there is no answer to hold to a contract yet.
                    output = clientCallsJson(draft.clientCalls());
                    metadata.put(RunResponse.CLIENT_TOOL_CALLS, draft.clientCalls().size());
                } else if (prepared.contract() != null) {
                    String draftAnswer = answer;
                    ContractResult result = Tracing.stage("contract", () -> contract(draftAnswer));
                    contract = summary(result);
                    output = result.output();
                    if (!result.valid()) errors.addAll(result.errors().stream().map(RequestRun::describe).toList());
                    warnings.addAll(result.warnings());
                } else {
                    output = JSON.createObjectNode().put("answer", answer);
                }
                if (draft.complete()) draft.errors().forEach(this::warn); // recovered on the way (a replan)
                else errors.addAll(draft.errors());
            }
            status = errors.isEmpty() && (contract == null || contract.valid()) ? RunStatus.SUCCESS : RunStatus.PARTIAL;
        } catch (io.sigil.approval.ApprovalPending pending) {
            awaiting = requestApproval(pending, agent, created);
            status = RunStatus.AWAITING_APPROVAL;
            output = JSON.createObjectNode().put("answer", "Waiting for a human decision on " + awaiting.tool()
                    + " (call " + awaiting.callId() + "): " + awaiting.reason() + ". Decide with POST /runs/"
                    + requestId + "/approvals/" + awaiting.callId() + " or 'sigil approvals'.");
        } catch (ContractValidationError e) {
            contract = new RunResponse.ContractSummary(prepared.contract().name(), "failed", e.attempts().size(),
                    e.errors().stream().map(RequestRun::describe).toList());
            errors.add(e.display());
            hint(e);
            status = RunStatus.FAILED;
        } catch (RuntimeException e) {
            status = timedOut.get() ? RunStatus.TIMEOUT : cancelled.get() ? RunStatus.CANCELLED : RunStatus.FAILED;
            errors.add(status == RunStatus.TIMEOUT ? "[TIMEOUT] The request did not finish within its deadline"
                    : status == RunStatus.CANCELLED ? "[CANCELLED] The request was cancelled"
                            + (cancelReason.get() == null ? "" : ": " + cancelReason.get())
                    : e instanceof SigilError s ? s.display() : "[INTERNAL_ERROR] " + e);
            if (status == RunStatus.FAILED && e instanceof SigilError s) hint(s);
            if (output != null && status == RunStatus.FAILED) status = RunStatus.PARTIAL;
        }
        interruptible(false); // the run is over: what follows must not be cut short by a late interrupt
        if (contract != null) listener.contractChecked(contract);
        record(status, output, answer);
        learn(agent, status, answer);
        metadata.put("model", model.provider());
        metadata.put("llm_calls", tracker.calls());
        metadata.put(RunResponse.INPUT_TOKENS, tracker.used().inputTokens());
        metadata.put(RunResponse.OUTPUT_TOKENS, tracker.used().outputTokens());
        if (io.sigil.llm.test.TestModel.NAME.equals(model.provider())) {
            metadata.put("synthetic", true);
            warn(io.sigil.llm.test.TestModel.SYNTHETIC_WARNING);
        }
        List<String> notRecorded = events.close(Duration.ofSeconds(30));
        if (!notRecorded.isEmpty()) {
            // Acknowledged means stored: a run whose events are not all durable is not a success, whatever it
            // answered, and its caller is told to retry (HTTP 507 when the disk is full, 503 otherwise).
            status = RunStatus.FAILED;
            errors.add("[STATE_ERROR] The run's events could not be stored (" + notRecorded.getFirst() + "); it is"
                    + " not acknowledged: retry once storage is available");
            metadata.put(RunResponse.STORAGE_ERROR, events.outOfSpace() ? "no_space" : "unavailable");
        }
        // Announced only once its events are durable: a decision that follows at once finds the request.
        if (awaiting != null && notRecorded.isEmpty()) listener.approvalRequested(awaiting);
        RunResponse response = new RunResponse(requestId, sessionId, status, output, route, planId, contract,
                tracker.used().totalTokens(), (System.nanoTime() - start) / 1_000_000, errors, warnings, metadata);
        listener.completed(response);
        return response;
    }

    /** The request's model: every call observed (metrics, llm.called events), counted and streamed to the listener. */
    private ChatModel buildModel() {
        ChatModel base = prepared.model();
        ChatModel observed = new ObservedChatModel(base, o.meters, this::llmCalled).withTracker(tracker);
        return new ListenerStreamingModel(observed, listener);
    }

    private void llmCalled(LlmCall call) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("provider", call.provider());
        p.put("model", call.model());
        p.put("input_tokens", call.usage().inputTokens());
        p.put("output_tokens", call.usage().outputTokens());
        p.put("cache_read_tokens", call.usage().cacheReadTokens());
        p.put("cache_write_tokens", call.usage().cacheWriteTokens());
        p.put("latency_ms", call.latency().toMillis());
        p.put("streamed", call.streamed());
        if (call.error() != null) p.put("error", call.error().getMessage());
        events.emit(EventType.LLM_CALLED, p);
    }

    private RouteDecision route() {
        RouteDecision route = o.config.features().routing() ? o.router.route(request.message())
                : new RouteDecision(Intent.GENERAL_CHAT, 1.0, 0.5, Intent.GENERAL_CHAT.handler(), false, false, false,
                        new io.sigil.routing.RouteFactors("off", "routing is off (SIGIL_USE_ROUTING=false)",
                                Map.of(), Map.of(), null, "routing off"));
        listener.routed(route);
        metadata.put("intent", route.intent().wireName());
        metadata.put("complexity", route.complexity());
        return route;
    }

    /** An agent that relies on a subsystem the deployment turned off runs without it, and says so. */
    private void warnAboutFeaturesOff(AgentDefinition agent) {
        if (agent == null) return;
        var f = o.config.features();
        if (agent.memoryEnabled() && !f.memory()) {
            warn("agent " + agent.name() + " uses memory, but memory is off (SIGIL_USE_MEMORY=false):"
                    + " nothing was recalled or learned");
        }
        if (agent.planningEnabled() && !f.planning()) {
            warn("agent " + agent.name() + " plans complex requests, but planning is off (SIGIL_USE_PLANNING=false):"
                    + " answered without a plan");
        }
    }

    private boolean memoryOn(AgentDefinition agent) {
        return o.config.features().memory() && (agent == null || agent.memoryEnabled());
    }

    /** The run's memory scope: the caller's own, per agent, as {@link io.sigil.memory.ScopeAccess} allows it. */
    private Scope scope(AgentDefinition agent) {
        return io.sigil.memory.ScopeAccess.check(request.caller(),
                new Scope(request.userId(), agent == null ? null : agent.name()), io.sigil.memory.ScopeAccess.Use.WRITE);
    }

    private List<String> recall(AgentDefinition agent, RouteDecision route) {
        if (!memoryOn(agent) || !(route.useMemory() || route.intent() == Intent.QUERY_MEMORY || agent != null)) {
            return List.of();
        }
        try {
            MemoryService memory = o.memory.get();
            long began = System.nanoTime();
            Recall recall = memory.recall(new RecallQuery(request.message(), scope(agent), null, o.config.recallK(), null));
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            metadata.put("memory_retrieval_ms", took.toMillis());
            if (took.compareTo(o.config.slowRetrieval()) > 0) {
                log.warn("Memory retrieval took {}ms (threshold: {}ms)", took.toMillis(), o.config.slowRetrieval().toMillis());
            }
            List<String> memories = recall.hits().stream().limit(o.config.memoriesInContext())
                    .map(h -> h.item().content() + (h.item().category() == null ? "" : " [" + h.item().category() + "]"))
                    .toList();
            listener.memoriesRecalled(memories.size(), recall.answeredBy().name().toLowerCase());
            metadata.put("memories_recalled", memories.size());
            return memories;
        } catch (SigilError e) {
            warn("memory recall failed: " + e.getMessage());
            return List.of();
        }
    }

    private boolean usePlanning(AgentDefinition agent, RouteDecision route) {
        return o.config.features().planning() && (agent == null || agent.planningEnabled())
                && route.complexity() > RouteDecision.PLANNING_THRESHOLD;
    }

    /** The answer of the reasoning or plan stage, before the contract; or the client tool calls the run ends with. */
    private record Draft(String text, String planId, boolean complete, List<String> errors, List<ToolCall> clientCalls) {
        Draft(String text, String planId, boolean complete, List<String> errors) {
            this(text, planId, complete, errors, List.of());
        }
    }

    /**
     * A run with the caller's own tools ({@link Conversation}): one tool-calling turn over the conversation as the
     * caller keeps it, the agent's instructions, the request context and recalled memories as its system prompt.
     */
    private Draft clientTurn(AgentDefinition agent, List<String> memories) {
        Conversation c = request.conversation();
        List<Message> messages = new ArrayList<>();
        if (c.resumed().isEmpty()) {
            messages.addAll(history());
            messages.add(Message.user(request.message()));
        } else {
            messages.addAll(c.history());
            messages.addAll(c.resumed());
        }
        String background = background(memories);
        String system = instructions(agent) + (background.isEmpty() ? "" : "\n\n" + background);
        var calls = metadataForCalls();
        ClientToolTurn.Outcome outcome = new ClientToolTurn(model, tools(agentTools(agent)), events, b -> {
            calls.forEach(b::metadata);
            return b;
        }).answer(system, messages, c.tools(), c.toolChoice());
        metadata.put("strategy", "client_tools");
        listener.strategySelected("client_tools", "the caller sent tools it runs itself");
        if (outcome.clientCalls().isEmpty() && outcome.text().isEmpty()) {
            throw new io.sigil.errors.ReasoningError("The model ended without an answer or a tool call",
                    "Try again or rephrase the request.");
        }
        return new Draft(outcome.text(), null, true, List.of(), outcome.clientCalls());
    }

    private static ObjectNode clientCallsJson(List<ToolCall> calls) {
        ObjectNode out = JSON.createObjectNode();
        var array = out.putArray("tool_calls");
        for (ToolCall call : calls) {
            array.addObject().put("id", call.id()).put("name", call.name()).set("arguments", call.arguments());
        }
        return out;
    }

    private String instructions(AgentDefinition agent) {
        return agent == null ? "You are Sigil, a precise and honest assistant." : agent.systemPrompt();
    }

    private String background(List<String> memories) {
        StringBuilder sb = new StringBuilder();
        if (!request.context().isEmpty()) {
            sb.append("Request context: ").append(JSON.valueToTree(request.context()).toString());
        }
        if (!memories.isEmpty()) sb.append(sb.isEmpty() ? "" : "\n\n").append(ContextManager.recalledBlock(memories));
        return sb.toString();
    }

    private ReasoningManager reasoning(ToolRegistry registry, io.sigil.approval.ApprovalGate gate) {
        return ReasoningManager.standard(model, null, tools(registry), gate, o.reasoningMetrics);
    }

    /** An executor whose every call and result reach the run's listener (streamed as tool_call, tool_result). */
    private ToolExecutor tools(ToolRegistry registry) {
        return new ToolExecutor(registry).observed(new ToolObserver() {
            @Override
            public void called(ToolCall call) { listener.toolCalled(call); }

            @Override
            public void returned(ToolCall call, ToolResult result) { listener.toolReturned(result); }
        });
    }

    /**
     * The tools an agent may call: its list, or every registered tool for the default assistant; tools with side
     * effects only when the agent's definition allows them by name (never for the default assistant).
     */
    private ToolRegistry agentTools(AgentDefinition agent) {
        ToolRegistry allowed = new ToolRegistry();
        if (agent == null) {
            for (var tool : o.tools.tools()) if (!tool.sideEffects()) allowed.register(bound(tool, null));
            return allowed;
        }
        for (String name : agent.tools()) {
            var tool = o.tools.lookup(name);
            if (tool.isEmpty()) {
                warn("agent " + agent.name() + " lists tool '" + name + "', which is not available (a service"
                        + " without its key, an MCP server that is down, or a typo; see sigil tools list)");
            } else if (tool.get().sideEffects() && !agent.sideEffectTools().contains(name)) {
                warn("agent " + agent.name() + " lists tool '" + name + "', which has side effects; it is withheld"
                        + " until the agent also lists it under side_effect_tools");
            } else {
                allowed.register(bound(tool.get(), agent));
            }
        }
        return allowed;
    }

    /** Memory tools act in this run's scope, never in the one they were registered with. */
    private io.sigil.tools.Tool bound(io.sigil.tools.Tool tool, AgentDefinition agent) {
        return tool instanceof io.sigil.tools.ScopedTool scoped ? scoped.inScope(scope(agent)) : tool;
    }

    private Draft reason(AgentDefinition agent, RouteDecision route, List<String> memories) {
        // The strategy caps the whole call (direct: 2,000 tokens), so the prompt gets at most half of that cap;
        // with only the context budget a long session's history overflowed it and every request failed.
        StrategyName strategy = prepared.strategy() != null ? prepared.strategy()
                : StrategyName.forComplexity(route.complexity());
        ContextManager contexts = ContextManager.withDefaults(new TokenCounter(), new ExtractiveSummarizer(new TokenCounter()))
                .withInputBudget(Math.min(o.config.contextInputTokens(), strategy.tokens().max() / 2));
        List<Message> history = history();
        var assembled = contexts.assemble(new ContextRequest(instructions(agent), request.message(),
                workingMemory(route), memories, history, List.of()));
        StringBuilder context = new StringBuilder();
        if (!request.context().isEmpty()) {
            context.append("Request context: ").append(JSON.valueToTree(request.context()).toString()).append("\n\n");
        }
        for (Message m : assembled.messages().subList(0, assembled.messages().size() - 1)) {
            context.append(m.role().name().toLowerCase()).append(": ").append(text(m)).append("\n\n");
        }
        if (!assembled.recalled().isEmpty()) context.append(assembled.recalled()).append("\n\n");
        var reasoningRequest = new ReasoningRequest(request.message(), context.toString().strip(), remaining(),
                assembled.system(), metadataForCalls());
        ToolRegistry registry = agentTools(agent);
        ReasoningManager manager = reasoning(registry, approvals.gate(agent, registry));
        ReasoningOutcome outcome = prepared.strategy() != null
                ? manager.reason(reasoningRequest, prepared.strategy(), events)
                : manager.reason(reasoningRequest, route.complexity(), events);
        listener.strategySelected(outcome.result().strategy().wireName(), outcome.selectionReason());
        metadata.put("strategy", outcome.result().strategy().wireName());
        metadata.put("fallbacks", outcome.fallbacks());
        metadata.put("confidence", outcome.result().confidence());
        if (tracker.utilization() > 1.0) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, tracker.used().totalTokens(),
                    tracker.budget().maxTotalTokens());
        }
        if (!outcome.success()) {
            String last = outcome.result().error() == null ? "" : outcome.result().error();
            if (last.startsWith("[TOKEN_BUDGET_EXCEEDED]")) {
                // Even the cheapest strategy did not fit the request's budget: a budget failure, not a model one.
                throw new SigilError(io.sigil.errors.ErrorCode.TOKEN_BUDGET_EXCEEDED,
                        last.substring("[TOKEN_BUDGET_EXCEEDED] ".length()),
                        "Raise the request's token budget (--max-tokens) or SIGIL_CONTRACT_MAX_TOTAL_TOKENS.");
            }
            throw new io.sigil.errors.ReasoningError("Every reasoning strategy failed; the last error: " + last,
                    "Try a simpler request, another model or --strategy direct.");
        }
        return new Draft(outcome.result().answer(), null, true, List.of());
    }

    private Draft plan(AgentDefinition agent, RouteDecision route, List<String> memories) {
        ToolRegistry tools = approvals.withoutHeld(agent, agentTools(agent), this::warn);
        Planner planner = new Planner(model, o.planCache, o.clock, o.config.maxPlanSteps(), STRATEGIES);
        String background = background(memories);
        var calls = metadataForCalls();
        java.util.function.Function<ChatRequest.Builder, ChatRequest.Builder> template = b -> {
            calls.forEach(b::metadata);
            return b;
        };
        // Only an earlier run of the session can have left a plan unfinished (a new one is not even stored yet).
        ResumablePlan resumable = prepared.session() == null ? null
                : ResumablePlan.find(o.sessions, sessionId, request.message());
        Plan plan;
        Map<String, StepResult> completed = Map.of();
        if (resumable != null) {
            plan = resumable.plan();
            completed = resumable.completed();
            metadata.put("resumed_steps", completed.size());
            listener.planned(plan, true);
        } else {
            Planner.Outcome made = planner.plan(request.message(), tools.specs(), background, template);
            plan = made.plan();
            PlanExecutor.recordCreated(plan, events);
            listener.planned(plan, made.cached());
        }
        metadata.put("plan_steps", plan.steps().size());
        PlanStepRunner runner = new PlanStepRunner(request.message(), instructions(agent), background,
                reasoning(tools, io.sigil.approval.ApprovalGate.NONE),
                o.router, tools(tools), this::recallForStep, tracker, events, listener, calls);
        PlanExecutor executor = new PlanExecutor(o.config.maxParallelSteps(), o.config.stepRetry(),
                PlanExecutor.Sleeper.REAL);
        PlanRun run = executor.start(plan, completed, runner, (failed, failure, done) -> planner.plan(
                request.message() + "\n\nAn earlier plan failed at step '" + failure.stepId() + "': " + failure.error()
                        + "\nSteps already done (reuse their ids to keep their results): " + done.keySet(),
                tools.specs(), background, template).plan(), events, new PlanListener() {
                    @Override public void stepStarted(PlanStep step, int attempt) { listener.stepStarted(step, attempt); }
                    @Override public void stepFinished(PlanStep step, StepResult result) { listener.stepFinished(step, result); }
                    @Override public void replanned(Plan from, Plan to, String reason) {
                        warn("replanned after a failed step: " + reason);
                    }
                });
        o.plans.add(new io.sigil.planning.RunningPlans.Entry(plan, run, sessionId, request.caller(), o.clock.instant()));
        PlanOutcome outcome;
        try {
            outcome = run.await();
        } finally {
            o.plans.remove(plan.planId());
        }
        if (outcome.status() == io.sigil.planning.PlanStatus.ABORTED && !timedOut.get()) {
            // Aborted through the plans API (not by this run's own cancel or deadline): the run ends as cancelled.
            cancelReason("its plan was aborted by an operator");
            cancelled.set(true);
        }
        String text = outcome.finalOutput();
        if (text.isBlank() && !outcome.success()) {
            throw new io.sigil.errors.PlanExecutionError("The plan failed: " + String.join("; ", outcome.errors()),
                    "Try again, simplify the request, or turn planning off for it.");
        }
        return new Draft(text, outcome.plan().planId(), outcome.success(), outcome.errors());
    }

    /**
     * Records the held call: {@code approval.requested} with the strategy's checkpoint and the request (so any process
     * can resume it from the events), and the approval as the response shows it.
     */
    private io.sigil.approval.Approval requestApproval(io.sigil.approval.ApprovalPending pending, AgentDefinition agent,
                                                       SessionManager.NewSession created) {
        java.time.Instant now = o.clock.instant();
        java.time.Instant expires = now.plus(o.approvals.expiry());
        String owner = created != null ? request.userId() : prepared.session().owner();
        var args = io.sigil.reasoning.ReactCheckpoint.arguments(pending.call().arguments());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("run_id", requestId);
        p.put("call_id", pending.call().id());
        p.put("agent", agent == null ? null : agent.name());
        p.put("tool", pending.call().name());
        p.put("tool_source", pending.toolSource());
        p.put("arguments", args);
        p.put("reason", pending.reason());
        p.put("expires_at", expires.toString());
        p.put("message", request.message());
        p.put("model", request.model());
        p.put("contract", request.contractName());
        p.put("user_id", request.userId());
        p.put("checkpoint", pending.checkpoint());
        p.values().removeIf(java.util.Objects::isNull); // payloads hold no nulls
        events.emit(EventType.APPROVAL_REQUESTED, p);
        var approval = new io.sigil.approval.Approval(requestId, sessionId, pending.call().id(),
                agent == null ? null : agent.name(), pending.call().name(), pending.toolSource(), args, pending.reason(),
                io.sigil.approval.ApprovalStatus.PENDING, now, expires, owner, null);
        metadata.put("approvals", List.of(approval.toJson()));
        return approval;
    }

    /** The reasoning of a resumed run: the decided call's result, then ReAct on from its checkpoint. */
    private Draft resumed(AgentDefinition agent) {
        var checkpoint = io.sigil.reasoning.ReactCheckpoint.fromMap(resume.checkpoint());
        ToolRegistry registry = agentTools(agent);
        ToolResult decided = approvals.decidedResult(resume, registry, tools(registry), events, requestId);
        var react = new io.sigil.reasoning.ReactStrategy(model, null, tools(registry),
                io.sigil.reasoning.ReactStrategy.DEFAULT_MAX_ITERATIONS, approvals.gate(agent, registry));
        listener.strategySelected(StrategyName.REACT.wireName(), "resumed after the decision on " + resume.call().name());
        var result = react.resume(checkpoint, decided, new ReasoningRequest(request.message(), null, remaining(),
                checkpoint.instructions(), metadataForCalls()), events);
        metadata.put("strategy", StrategyName.REACT.wireName());
        metadata.put("resumed_after", Map.of("call_id", resume.call().id(), "decision",
                resume.approved() ? "approved" : "denied", "by", resume.decidedBy()));
        if (tracker.utilization() > 1.0) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, tracker.used().totalTokens(),
                    tracker.budget().maxTotalTokens());
        }
        if (!result.success()) {
            throw new io.sigil.errors.ReasoningError("The resumed run failed: " + result.error(),
                    "The decision is recorded; start a new run to try again.");
        }
        return new Draft(result.answer(), null, true, List.of());
    }

    private String recallForStep(String query) {
        if (!o.config.features().memory()) return "Memory is off, so nothing was recalled.";
        try {
            Recall r = o.memory.get().recall(new RecallQuery(query, scope(prepared.agent()), null, o.config.recallK(), null));
            if (r.hits().isEmpty()) return "Nothing relevant is remembered.";
            return ContextManager.recalledBlock(r.hits().stream().map(h -> h.item().content()).toList());
        } catch (SigilError e) {
            return "Memory recall failed: " + e.getMessage();
        }
    }

    /**
     * Holds the draft to the contract. The reasoning stage already had the agent's tools; this stage only turns
     * the draft into the deliverables, so it offers none, which lets providers use their native schema mode.
     */
    private ContractResult contract(String draft) {
        ContractExecutor executor = ContractExecutor.builder(model).validator(new ContractValidator(false))
                .events(events).metrics(o.meters).defaultMaxTotalTokens(o.config.maxTotalTokens()).build();
        String task = request.message() + (draft == null || draft.isBlank() ? ""
                : "\n\nDraft answer from the agent's own reasoning (use what is right in it, correct what is not):\n"
                + draft);
        return executor.execute(prepared.contract(), task);
    }

    private RunResponse.ContractSummary summary(ContractResult r) {
        return new RunResponse.ContractSummary(r.contractName(), r.outcome().label(), r.attempts().size(),
                r.errors().stream().map(RequestRun::describe).toList());
    }

    private static String describe(ValidationError e) {
        return e.field() + ": " + e.reason();
    }

    private List<String> workingMemory(RouteDecision route) {
        return List.of("intent " + route.intent().wireName() + ", complexity "
                + String.format(java.util.Locale.ROOT, "%.2f", route.complexity()));
    }

    private List<Message> history() {
        Session session = prepared.session();
        if (session == null) return request.conversation().history();
        List<Message> out = new ArrayList<>();
        for (var m : session.messages()) {
            if ("user".equals(m.role())) out.add(Message.user(m.content() == null ? "" : m.content()));
            else if ("assistant".equals(m.role())) out.add(Message.assistant(m.content()));
        }
        return out;
    }

    private static String text(Message m) {
        return switch (m) {
            case Message.User u -> u.text();
            case Message.Assistant a -> a.text();
            case Message.ToolResult r -> r.content();
        };
    }

    private Long remaining() {
        long max = tracker.budget().maxTotalTokens();
        return max <= 0 ? null : Math.max(1, max - tracker.used().totalTokens());
    }

    private Map<String, String> metadataForCalls() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ChatRequest.SESSION_ID, sessionId);
        m.put(ChatRequest.CORRELATION_ID, request.correlationId());
        if (prepared.agent() != null) m.put(ChatRequest.AGENT_ID, prepared.agent().name());
        return m;
    }

    /**
     * Keeps how to fix an error that ended the run, by lower-case code, in the response's metadata ({@code hints}):
     * the errors list carries only {@code [CODE] message}, and a person needs the hint line too.
     */
    private void hint(SigilError e) {
        if (e.hint() == null) return;
        @SuppressWarnings("unchecked")
        Map<String, String> hints = (Map<String, String>) metadata.computeIfAbsent("hints", k -> new LinkedHashMap<String, String>());
        hints.put(e.code().name().toLowerCase(java.util.Locale.ROOT), e.hint());
    }

    /** Who wrote the request's message: the caller's subject, or {@code local} for the command line. */
    /** The user's message as recorded; with the guard's verdict when it found an injection (flagged or sanitised). */
    private Map<String, Object> userMessage() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("role", "user");
        m.put("content", request.message());
        m.put("author", author());
        m.put("request_id", requestId);
        Map<String, Object> injection = InputScreening.describe(prepared.screening());
        if (injection != null) m.put("injection", injection);
        return m;
    }

    private String author() {
        return request.caller().subject() == null ? "local" : request.caller().subject();
    }

    private void warn(String message) {
        synchronized (warnings) {
            warnings.add(message);
        }
        listener.warning(message);
    }

    private void record(RunStatus status, JsonNode output, String answer) {
        for (String error : errors) {
            String code = error.startsWith("[") && error.indexOf(']') > 0 ? error.substring(1, error.indexOf(']')) : "ERROR";
            events.emit(EventType.ERROR_OCCURRED, Map.of("code", code, "message", error, "recoverable",
                    status == RunStatus.PARTIAL));
        }
        String content = output == null ? "" : output.has("answer") && output.size() == 1 ? output.get("answer").asText()
                : output.toString();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("role", "assistant");
        p.put("content", content);
        p.put("author", prepared.agent() == null ? "sigil" : "agent:" + prepared.agent().name());
        p.put("status", status.wireName());
        p.put("request_id", requestId);
        p.put("tokens", tracker.used().totalTokens());
        events.emit(EventType.MESSAGE_ADDED, p);
    }

    /**
     * Hands the exchange to the orchestrator's background learner and returns at once: extraction, embedding and
     * indexing never delay the response. The job reports into the session's events itself (memory.extracted, or
     * error.occurred with code LEARNING_FAILED); a full queue is a warning on this response, not a silent drop.
     */
    private void learn(AgentDefinition agent, RunStatus status, String answer) {
        if (!memoryOn(agent) || answer == null || (status != RunStatus.SUCCESS && status != RunStatus.PARTIAL)) return;
        var resource = Resource.of(ResourceType.CONVERSATION, "user: " + request.message()
                + "\n\nassistant: " + answer, scope(agent));
        // The session's sink itself, not this run's queue: the job runs after the run has closed its queue, on a
        // thread nobody interrupts.
        EventSink sink = o.sessions.sink(sessionId, agent == null ? null : agent.name(), request.correlationId());
        String id = requestId;
        boolean queued = o.learner().submit(LogContext.carry(() -> {
            try {
                var ingested = o.memory.get().ingest(resource);
                List<Map<String, Object>> items = ingested.added().stream()
                        .map(i -> Map.<String, Object>of("content", i.content(), "category",
                                i.category() == null ? "" : i.category(), "confidence", i.confidence()))
                        .toList();
                sink.emit(EventType.MEMORY_EXTRACTED, Map.of("resource_id", resource.id(), "items", items,
                        "merged", ingested.merged(), "request_id", id));
            } catch (RuntimeException e) {
                sink.emit(EventType.ERROR_OCCURRED, Map.of("code", "LEARNING_FAILED", "message",
                        "learning from request " + id + " failed: " + e.getMessage(), "recoverable", true));
                throw e;
            }
        }));
        if (queued) {
            metadata.put("memory_learning", "queued");
        } else {
            warn(o.learner().isClosed() ? "memory learning has stopped (shutting down); this exchange was not learned from"
                    : "memory learning is saturated (" + o.learner().backlog() + " runs waiting); this exchange was "
                    + "not learned from");
        }
    }
}
