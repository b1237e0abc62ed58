package io.sigil.orchestrator;

import io.sigil.approval.ApprovalGate;
import io.sigil.errors.PlanExecutionError;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanExecutor;
import io.sigil.planning.PlanListener;
import io.sigil.planning.PlanOutcome;
import io.sigil.planning.PlanRun;
import io.sigil.planning.PlanStatus;
import io.sigil.planning.PlanStep;
import io.sigil.planning.Planner;
import io.sigil.planning.RunningPlans;
import io.sigil.planning.StepResult;
import io.sigil.reasoning.StrategyName;
import io.sigil.tools.ToolRegistry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The plan stage of a complex request: a plan made (or the unfinished plan of an earlier run of the session taken
 * up), executed step by step with retries and replanning, and shown to operators while it runs
 * ({@link RunningPlans}). A plan aborted by an operator ends the run as cancelled.
 */
final class PlanStage {
    private static final List<String> STRATEGIES = Arrays.stream(StrategyName.values()).map(StrategyName::wireName).toList();
    private final RunContext run;
    private final RunApprovals approvals;
    private final RecallStage recall;

    PlanStage(RunContext run, RunApprovals approvals, RecallStage recall) {
        this.run = run;
        this.approvals = approvals;
        this.recall = recall;
    }

    /**
     * @param cancel marks the run cancelled (with its reason) when an operator aborted the plan; {@code timedOut}
     *               tells that apart from the run's own deadline
     */
    Draft plan(List<String> memories, AtomicBoolean timedOut, java.util.function.Consumer<String> cancel) {
        var o = run.o();
        var request = run.request();
        var listener = run.listener();
        var metadata = run.notes().metadata;
        ToolRegistry tools = approvals.withoutHeld(run.agent(), run.agentTools(), RunApprovals.HeldIn.PLAN, run::warn);
        Planner planner = new Planner(run.model(), o.planCache, o.clock, o.config.maxPlanSteps(), STRATEGIES);
        String background = run.background(memories);
        var template = run.callTemplate();
        // Only an earlier run of the session can have left a plan unfinished (a new one is not even stored yet).
        ResumablePlan resumable = run.prepared().session() == null ? null
                : ResumablePlan.find(o.sessions, run.sessionId(), request.message());
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
            PlanExecutor.recordCreated(plan, run.events());
            listener.planned(plan, made.cached());
        }
        metadata.put("plan_steps", plan.steps().size());
        PlanStepRunner runner = new PlanStepRunner(request.message(), run.instructions(), background,
                run.reasoning(tools, ApprovalGate.NONE), o.router, run.tools(tools), recall::forStep, run.tracker(),
                run.events(), listener, run.metadataForCalls());
        PlanExecutor executor = new PlanExecutor(o.config.maxParallelSteps(), o.config.stepRetry(),
                PlanExecutor.Sleeper.REAL);
        PlanRun running = executor.start(plan, completed, runner, (failed, failure, done) -> planner.plan(
                request.message() + "\n\nAn earlier plan failed at step '" + failure.stepId() + "': " + failure.error()
                        + "\nSteps already done (reuse their ids to keep their results): " + done.keySet(),
                tools.specs(), background, template).plan(), run.events(), new PlanListener() {
                    @Override public void stepStarted(PlanStep step, int attempt) { listener.stepStarted(step, attempt); }
                    @Override public void stepFinished(PlanStep step, StepResult result) { listener.stepFinished(step, result); }
                    @Override public void replanned(Plan from, Plan to, String reason) {
                        run.warn("replanned after a failed step: " + reason);
                    }
                });
        o.plans.add(new RunningPlans.Entry(plan, running, run.sessionId(), request.caller(), o.clock.instant()));
        PlanOutcome outcome;
        try {
            outcome = running.await();
        } finally {
            o.plans.remove(plan.planId());
        }
        if (outcome.status() == PlanStatus.ABORTED && !timedOut.get()) {
            // Aborted through the plans API (not by this run's own cancel or deadline): the run ends as cancelled.
            cancel.accept("its plan was aborted by an operator");
        }
        String text = outcome.finalOutput();
        if (text.isBlank() && !outcome.success()) {
            throw new PlanExecutionError("The plan failed: " + String.join("; ", outcome.errors()),
                    "Try again, simplify the request, or turn planning off for it.");
        }
        return new Draft(text, outcome.plan().planId(), outcome.success(), outcome.errors());
    }
}
