package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigil.errors.ReasoningError;
import io.sigil.errors.ToolError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.ToolCall;
import io.sigil.llm.Usage;
import io.sigil.planning.PlanStep;
import io.sigil.planning.StepResult;
import io.sigil.planning.StepRunner;
import io.sigil.reasoning.ReasoningManager;
import io.sigil.reasoning.ReasoningOutcome;
import io.sigil.reasoning.ReasoningRequest;
import io.sigil.reasoning.StrategyName;
import io.sigil.routing.Router;
import io.sigil.tokens.TokenTracker;
import io.sigil.tools.ToolExecutor;
import io.sigil.tools.ToolResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one plan step for the orchestrator: reasoning steps through the reasoning manager (the step's strategy
 * hint, else the strategy its own complexity selects), tool steps through the tool executor, memory steps
 * through recall. A failed step throws, so the plan executor retries it.
 */
final class PlanStepRunner implements StepRunner {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final String goal;
    private final String instructions;
    private final String background;
    private final ReasoningManager reasoning;
    private final Router router;
    private final ToolExecutor tools;
    private final Function<String, String> recall;
    private final TokenTracker tracker;
    private final EventSink events;
    private final RunListener listener;
    private final Map<String, String> metadata;

    /**
     * @param background memories and request context shared by every step
     * @param recall     answers a memory_query step with what memory holds, or says memory is off
     */
    PlanStepRunner(String goal, String instructions, String background, ReasoningManager reasoning, Router router,
                   ToolExecutor tools, Function<String, String> recall, TokenTracker tracker, EventSink events,
                   RunListener listener, Map<String, String> metadata) {
        this.goal = goal;
        this.instructions = instructions;
        this.background = background;
        this.reasoning = reasoning;
        this.router = router;
        this.tools = tools;
        this.recall = recall;
        this.tracker = tracker;
        this.events = events;
        this.listener = listener;
        this.metadata = metadata;
    }

    @Override
    public Output run(PlanStep step, Map<String, StepResult> inputs) {
        io.opentelemetry.api.trace.Span span = io.sigil.telemetry.Tracing.tracer().spanBuilder("step")
                .setAttribute(io.sigil.telemetry.GenAi.SIGIL_STAGE, "step")
                .setAttribute(io.sigil.telemetry.GenAi.SIGIL_STEP_ID, String.valueOf(step.stepId())).startSpan();
        try (var ignored = span.makeCurrent()) {
            return runStep(step, inputs);
        } catch (RuntimeException e) {
            io.sigil.telemetry.Tracing.fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private Output runStep(PlanStep step, Map<String, StepResult> inputs) {
        return switch (step.type()) {
            case TOOL_CALL -> tool(step);
            case MEMORY_QUERY -> new Output(recall.apply(step.description()), Usage.ZERO);
            case PARALLEL_GROUP -> new Output(joined(inputs), Usage.ZERO);
            case REASONING, CONDITIONAL -> reason(step, inputs);
        };
    }

    private Output tool(PlanStep step) {
        var args = step.toolArgs() == null ? JsonNodeFactory.instance.objectNode() : step.toolArgs();
        long start = System.nanoTime();
        ToolResult r = tools.execute(new ToolCall("plan-" + step.stepId(), step.toolName(), args));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("tool", step.toolName());
        tools.registry().lookup(step.toolName()).ifPresent(t -> {
            payload.put("source", t.source());
            payload.put("side_effects", t.sideEffects());
        });
        payload.put("arguments", JSON.convertValue(args, Map.class));
        String shown = r.output().length() > 2_000 ? r.output().substring(0, 2_000) : r.output();
        payload.put(r.isError() ? "error" : "result", shown);
        payload.put("duration_ms", (System.nanoTime() - start) / 1_000_000);
        payload.put("step_id", step.stepId());
        events.emit(EventType.TOOL_CALLED, payload);
        if (r.isError()) {
            boolean sideEffects = tools.registry().lookup(step.toolName()).map(io.sigil.tools.Tool::sideEffects).orElse(false);
            if (sideEffects) throw new io.sigil.tools.SideEffectFailure(step.toolName(), r.output());
            throw new ToolError("Tool " + step.toolName() + " failed: " + r.output());
        }
        return new Output(r.forModel(), Usage.ZERO);
    }

    private Output reason(PlanStep step, Map<String, StepResult> inputs) {
        StrategyName strategy = hint(step);
        String task = step.type() == io.sigil.planning.StepType.CONDITIONAL
                ? "Decide, and say yes or no first, then why: " + step.description() : step.description();
        StringBuilder context = new StringBuilder("Overall goal: ").append(goal);
        if (!background.isBlank()) context.append("\n\n").append(background);
        if (!inputs.isEmpty()) context.append("\n\nResults of earlier steps:\n").append(joined(inputs));
        var request = new ReasoningRequest(task, context.toString(), remaining(), instructions, metadata);
        ReasoningOutcome outcome = strategy == null
                ? reasoning.reason(request, router.route(step.description()).complexity(), events)
                : reasoning.reason(request, strategy, events);
        listener.strategySelected(outcome.selected().wireName(), "step " + step.stepId());
        // Strategies report total tokens only, so the step's usage carries them as one figure.
        Usage used = Usage.of(0, outcome.totalTokens());
        tracker.checkBefore(0); // a step that crossed the request budget stops the plan here
        if (!outcome.success()) {
            throw new ReasoningError("Step " + step.stepId() + " failed: " + outcome.result().error());
        }
        return new Output(outcome.result().answer(), used);
    }

    private Long remaining() {
        long max = tracker.budget().maxTotalTokens();
        return max <= 0 ? null : Math.max(1, max - tracker.used().totalTokens());
    }

    private static StrategyName hint(PlanStep step) {
        if (step.strategyHint() == null) return null;
        try {
            return StrategyName.parse(step.strategyHint());
        } catch (RuntimeException e) {
            return null; // an unknown hint from the model: choose by complexity instead
        }
    }

    private static String joined(Map<String, StepResult> inputs) {
        StringBuilder sb = new StringBuilder();
        inputs.forEach((id, r) -> sb.append(sb.isEmpty() ? "" : "\n\n").append("[").append(id).append("] ")
                .append(r.output()));
        return sb.toString();
    }
}
