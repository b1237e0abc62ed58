package io.sigil.planning;

import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.errors.SigilError;
import io.sigil.tokens.TokenBudgetExceeded;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs plans: ready steps in parallel on virtual threads (at most {@code maxParallel} at once), each retried
 * with backoff, progress checkpointed as events so that a run interrupted by a crash resumes from its
 * completed steps (passed back in via {@code alreadyCompleted}); one replan when a step fails for good.
 */
public final class PlanExecutor {
    /** Waits between retries; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d);
    }

    private final int maxParallel;
    private final RetryPolicy retry;
    private final Sleeper sleeper;

    public PlanExecutor(int maxParallel, RetryPolicy retry, Sleeper sleeper) {
        if (maxParallel < 1) throw new IllegalArgumentException("maxParallel must be >= 1");
        this.maxParallel = maxParallel;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    public static PlanExecutor withDefaults() { return new PlanExecutor(3, RetryPolicy.DEFAULT, Sleeper.REAL); }

    /** Starts a run on its own virtual thread; control it (pause, resume, abort) and await it through the handle. */
    public PlanRun start(Plan plan, Map<String, StepResult> alreadyCompleted, StepRunner runner, Replanner replanner,
                         EventSink events, PlanListener listener) {
        // The caller's trace context follows the plan to its threads, so steps trace under the run's plan span.
        ExecutorService workers = io.opentelemetry.context.Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor());
        PlanRun run = new PlanRun(plan, alreadyCompleted, runner, replanner, events, listener, maxParallel, retry,
                sleeper, workers);
        // The plan's threads log with the run's session and agent ids, and trace under the run's plan span.
        Thread.ofVirtual().name("plan-" + plan.planId()).start(
                io.opentelemetry.context.Context.current().wrap(io.sigil.telemetry.LogContext.carry((Runnable) run::drive)));
        return run;
    }

    /** Runs to the end on the calling thread's behalf and returns the outcome. */
    public PlanOutcome execute(Plan plan, Map<String, StepResult> alreadyCompleted, StepRunner runner,
                               Replanner replanner, EventSink events, PlanListener listener) {
        return start(plan, alreadyCompleted, runner, replanner, events, listener).await();
    }

    /**
     * Emits plan.created for a plan about to run (callers record it before {@link #start}): the plan's JSON
     * form ({@link PlanJson}), from which a resumed run rebuilds it.
     */
    @SuppressWarnings("unchecked")
    public static void recordCreated(Plan plan, EventSink events) {
        events.emit(EventType.PLAN_CREATED, PLAIN.convertValue(PlanJson.toJson(plan), Map.class));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN = new com.fasterxml.jackson.databind.ObjectMapper();

    static boolean retryable(Throwable t) {
        if (t instanceof TokenBudgetExceeded) return false;
        if (t instanceof InterruptedException) return false;
        if (t instanceof io.sigil.tools.SideEffectFailure) return false; // it may have taken effect already
        return !(t instanceof SigilError e) || e.recoverable() || e.code() != io.sigil.errors.ErrorCode.CONFIG_ERROR;
    }
}
