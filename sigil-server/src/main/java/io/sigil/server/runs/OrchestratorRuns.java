package io.sigil.server.runs;

import io.sigil.agents.AgentRegistry;
import io.sigil.llm.ToolCall;
import io.sigil.orchestrator.Orchestrator;
import io.sigil.orchestrator.RunHandle;
import io.sigil.orchestrator.RunListener;
import io.sigil.orchestrator.RunRequest;
import io.sigil.orchestrator.RunResponse;
import io.sigil.orchestrator.RunStatus;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanStep;
import io.sigil.planning.StepResult;
import io.sigil.routing.RouteDecision;
import io.sigil.tools.ToolResult;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link RunLauncher} over the orchestrator: each run is started with a listener that turns the pipeline's
 * callbacks into typed messages, and a watcher publishes {@code complete} (preceded by {@code error} when the run
 * failed or timed out) with the recorded response.
 *
 * <p>Mapping: session started, routed and strategy chosen are {@code status}; memories recalled, planned, steps
 * started and finished, and the contract check are {@code progress}; every tool call (ReAct's, a plan step's, any
 * strategy's) is {@code tool_call} then {@code tool_result} with the same {@code call_id}; model output is
 * {@code token}; warnings are {@code warning}; a call held for a human decision is {@code approval_required} (then
 * {@code complete} with status {@code awaiting_approval}).
 */
public final class OrchestratorRuns implements RunLauncher {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrchestratorRuns.class);
    private final Orchestrator orchestrator;
    private final AgentRegistry agents;

    public OrchestratorRuns(Orchestrator orchestrator, AgentRegistry agents) {
        this.orchestrator = orchestrator;
        this.agents = agents;
    }

    @Override
    public void requireAgent(String name) {
        agents.get(name);
    }

    @Override
    public ActiveRun launch(RunInput input, RunSink sink) {
        RunHandle handle = input.resume() != null ? orchestrator.resume(input.resume(), new Listener(sink))
                : orchestrator.start(request(input), new Listener(sink));
        // On the thread that ends the run (no thread per run just to wait for it); publishing only queues.
        handle.whenDone((response, failure) -> finish(input, response, failure, sink));
        return active(handle);
    }

    /** Runs on the calling thread (see {@link Orchestrator#runHere}). */
    @Override
    public void runHere(RunInput input, RunSink sink, java.util.function.Consumer<ActiveRun> started) {
        RunResponse response = null;
        RuntimeException failure = null;
        var began = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            java.util.function.Consumer<RunHandle> handed = handle -> {
                began.set(true);
                started.accept(active(handle));
            };
            response = input.resume() != null ? orchestrator.resumeHere(input.resume(), new Listener(sink), handed)
                    : orchestrator.runHere(request(input), new Listener(sink), handed);
        } catch (RuntimeException e) {
            if (!began.get()) throw e; // the request was refused (a client mistake): nothing was published
            failure = e;
        }
        finish(input, response, failure, sink);
    }

    private static RunRequest request(RunInput input) {
        return RunRequest.builder(input.message()).agent(input.agent()).sessionId(input.sessionId())
                .caller(input.caller()).model(input.model()).context(input.context())
                .schemaContract(input.schemaContract()).conversation(input.conversation()).maxTokens(input.maxTokens())
                .build();
    }

    /** Publishes the end of a run: {@code error} when it failed or timed out, then {@code complete}; then ends it. */
    private static void finish(RunInput input, RunResponse response, Throwable failure, RunSink sink) {
        try {
            if (response == null) throw new IllegalStateException("a run ended without a response", failure);
            if (response.status() == RunStatus.FAILED || response.status() == RunStatus.TIMEOUT) {
                sink.publish("error", map("code", response.status().wireName(), "errors", response.errors()));
            }
            sink.publish("complete", RunResponseJson.toJson(response));
        } catch (RuntimeException e) {
            // The orchestrator guarantees a response; should that ever break, the client still gets an end.
            log.error("Run of agent {} ended without a response", input.agent(), e);
            sink.publish("error", map("code", "INTERNAL_ERROR", "message", "The run ended without a response."));
            sink.publish("complete", map("status", RunStatus.FAILED.wireName(), "errors",
                    java.util.List.of("The run ended without a response.")));
        } finally {
            sink.ended();
        }
    }

    private static ActiveRun active(RunHandle handle) {
        return new ActiveRun() {
            @Override
            public void cancel() { handle.cancel(); }

            @Override
            public void cancel(String reason) { handle.cancel(reason); }

            @Override
            public boolean await(Duration wait) throws InterruptedException { return handle.await(wait) != null; }
        };
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) if (kv[i + 1] != null) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** Pipeline callbacks to messages. Called on the run's threads; the sink is thread-safe and never blocks. */
    private record Listener(RunSink sink) implements RunListener {
        @Override
        public void sessionStarted(String sessionId, boolean created) {
            sink.publish("status", map("stage", "session", "session_id", sessionId, "created", created));
        }

        @Override
        public void routed(RouteDecision route) {
            Map<String, Object> m = RunResponseJson.routeSummary(route);
            m.put("stage", "routed");
            sink.publish("status", m);
        }

        @Override
        public void memoriesRecalled(int count, String answeredBy) {
            sink.publish("progress", map("stage", "memory", "memories", count, "answered_by", answeredBy));
        }

        @Override
        public void planned(Plan plan, boolean cached) {
            sink.publish("progress", map("stage", "planned", "plan_id", plan.planId(), "steps", plan.steps().size(),
                    "cached", cached));
        }

        @Override
        public void stepStarted(PlanStep step, int attempt) {
            sink.publish("progress", map("stage", "step_started", "step_id", step.stepId(),
                    "type", step.type().wireName(), "description", step.description(), "attempt", attempt));
        }

        @Override
        public void stepFinished(PlanStep step, StepResult result) {
            sink.publish("progress", map("stage", "step_finished", "step_id", step.stepId(),
                    "status", result.status().name().toLowerCase(java.util.Locale.ROOT),
                    "tokens", result.usage().totalTokens(), "duration_ms", result.duration().toMillis(),
                    "error", result.error()));
        }

        @Override
        public void strategySelected(String strategy, String reason) {
            sink.publish("status", map("stage", "reasoning", "strategy", strategy, "reason", reason));
        }

        @Override
        public void token(String delta) {
            sink.publish("token", map("delta", delta));
        }

        @Override
        public void toolCalled(ToolCall call) {
            sink.publish("tool_call", map("call_id", call.id(), "tool", call.name(), "arguments", call.arguments()));
        }

        @Override
        public void toolReturned(ToolResult r) {
            sink.publish("tool_result", map("call_id", r.callId(), "tool", r.toolName(), "ok", !r.isError(),
                    "result", r.output(), "truncated", r.truncated(), "original_chars", r.originalLength(),
                    "duration_ms", r.duration().toMillis()));
        }

        @Override
        public void contractChecked(RunResponse.ContractSummary summary) {
            sink.publish("progress", map("stage", "contract", "contract", summary.name(), "outcome", summary.outcome(),
                    "attempts", summary.attempts(), "errors", summary.errors()));
        }

        @Override
        public void warning(String message) {
            sink.publish("warning", map("code", "run", "message", message));
        }

        @Override
        public void approvalRequested(io.sigil.approval.Approval approval) {
            sink.publish("approval_required", approval.toJson());
        }
    }
}
