package io.sigil.planning;

import io.sigil.errors.PlanExecutionError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.Usage;
import io.sigil.tokens.TokenBudgetExceeded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One running plan. A single driver thread owns all run state (statuses, results) and schedules steps;
 * workers only run steps and report back through a queue, so there is no shared mutable state to lock.
 * Pause stops new steps from starting; abort cancels running steps and marks every unfinished step skipped.
 */
public final class PlanRun {
    private enum Control { NONE, PAUSE, ABORT }

    private record Finished(PlanStep step, StepResult result, Throwable fatal) { }

    private final Plan initialPlan;
    private final Map<String, StepResult> alreadyCompleted;
    private final StepRunner runner;
    private final Replanner replanner;
    private final EventSink events;
    private final PlanListener listener;
    private final int maxParallel;
    private final RetryPolicy retry;
    private final PlanExecutor.Sleeper sleeper;
    private final ExecutorService workers;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final CompletableFuture<PlanOutcome> outcome = new CompletableFuture<>();
    private volatile Control control = Control.NONE;
    private volatile PlanStatus status = PlanStatus.PENDING;

    PlanRun(Plan plan, Map<String, StepResult> alreadyCompleted, StepRunner runner, Replanner replanner,
            EventSink events, PlanListener listener, int maxParallel, RetryPolicy retry,
            PlanExecutor.Sleeper sleeper, ExecutorService workers) {
        this.initialPlan = plan;
        this.alreadyCompleted = Map.copyOf(alreadyCompleted);
        this.runner = runner;
        this.replanner = replanner;
        this.events = events;
        this.listener = listener;
        this.maxParallel = maxParallel;
        this.retry = retry;
        this.sleeper = sleeper;
        this.workers = workers;
    }

    /** RUNNING turns PAUSED while a pause holds (running steps may still finish). */
    public PlanStatus status() {
        PlanStatus s = status;
        return s == PlanStatus.RUNNING && control == Control.PAUSE ? PlanStatus.PAUSED : s;
    }

    /** True once the run has ended (completed, failed or aborted). */
    public boolean finished() { return outcome.isDone(); }

    /** Lets running steps finish but starts no new ones until {@link #resume()}. */
    public void pause() { control = Control.PAUSE; inbox.add(Control.PAUSE); }

    public void resume() { control = Control.NONE; inbox.add(Control.NONE); }

    /** Cancels running steps and skips everything not finished. */
    public void abort() { control = Control.ABORT; inbox.add(Control.ABORT); }

    /** Waits for the end of the run. A budget overrun is rethrown as {@link TokenBudgetExceeded}. */
    public PlanOutcome await() {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            abort();
            Thread.currentThread().interrupt();
            throw new PlanExecutionError("Interrupted while waiting for plan " + initialPlan.planId(), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new PlanExecutionError("Plan " + initialPlan.planId() + " failed: " + e.getCause(), null);
        }
    }

    void drive() {
        long start = System.nanoTime();
        try {
            outcome.complete(runAll(start));
        } catch (Throwable t) {
            outcome.completeExceptionally(t);
        } finally {
            workers.shutdownNow();
        }
    }

    private PlanOutcome runAll(long start) throws InterruptedException {
        Plan plan = initialPlan;
        Map<String, StepResult> results = new LinkedHashMap<>();
        for (PlanStep s : plan.steps()) {
            StepResult done = alreadyCompleted.get(s.stepId());
            if (done != null && done.completed()) results.put(s.stepId(), done);
        }
        List<String> errors = new ArrayList<>();
        boolean replanned = false;
        status = PlanStatus.RUNNING;
        while (true) {
            StepResult failure = runUntilDoneOrFailed(plan, results, errors);
            if (failure == null || control == Control.ABORT || replanned || replanner == null) break;
            Plan next;
            try {
                next = replanner.replan(plan, failure, completedOnly(results));
            } catch (RuntimeException e) {
                errors.add("replanning failed: " + e.getMessage());
                break;
            }
            replanned = true;
            listener.replanned(plan, next, failure.error());
            PlanExecutor.recordCreated(next, events);
            Map<String, StepResult> kept = new LinkedHashMap<>();
            for (PlanStep s : next.steps()) {
                StepResult r = results.get(s.stepId());
                if (r != null && r.completed()) kept.put(s.stepId(), r);
            }
            results.entrySet().removeIf(e -> !e.getValue().completed());
            results.putAll(kept);
            plan = next;
        }
        PlanStatus end;
        if (control == Control.ABORT) end = PlanStatus.ABORTED;
        else end = plan.steps().stream().allMatch(s -> results.containsKey(s.stepId()) && results.get(s.stepId()).completed())
                ? PlanStatus.COMPLETED : PlanStatus.FAILED;
        for (PlanStep s : plan.steps()) {
            results.computeIfAbsent(s.stepId(), id -> StepResult.skipped(id,
                    end == PlanStatus.ABORTED ? "plan aborted" : "a dependency failed"));
        }
        status = end;
        Usage usage = results.values().stream().map(StepResult::usage).reduce(Usage.ZERO, Usage::plus);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("plan_id", plan.planId());
        payload.put("success", end == PlanStatus.COMPLETED);
        payload.put("status", end.name().toLowerCase());
        payload.put("total_tokens", usage.totalTokens());
        payload.put("duration", took.toMillis() / 1000.0);
        payload.put("errors", errors);
        payload.put("replanned", replanned);
        events.emit(EventType.PLAN_COMPLETED, payload);
        Map<String, StepResult> ordered = new LinkedHashMap<>();
        plan.steps().forEach(s -> ordered.put(s.stepId(), results.get(s.stepId())));
        return new PlanOutcome(plan, end, ordered, usage, errors, took, replanned);
    }

    /** Runs the plan until every step is finished or one failed for good; returns that failure, or null. */
    private StepResult runUntilDoneOrFailed(Plan plan, Map<String, StepResult> results, List<String> errors)
            throws InterruptedException {
        Map<String, Future<?>> running = new HashMap<>();
        StepResult failure = null;
        while (true) {
            if (control == Control.ABORT) {
                running.values().forEach(f -> f.cancel(true));
                return null;
            }
            if (control == Control.NONE && failure == null) {
                for (PlanStep step : plan.steps()) {
                    if (running.size() >= maxParallel) break;
                    if (results.containsKey(step.stepId()) || running.containsKey(step.stepId())) continue;
                    if (!step.dependencies().stream().allMatch(d -> results.containsKey(d) && results.get(d).completed())) continue;
                    Map<String, StepResult> inputs = new HashMap<>();
                    step.dependencies().forEach(d -> inputs.put(d, results.get(d)));
                    running.put(step.stepId(), workers.submit(io.sigil.telemetry.LogContext.carry(
                            (Runnable) () -> inbox.add(runWithRetries(plan, step, inputs)))));
                }
            }
            if (running.isEmpty() && (failure != null || control == Control.NONE)) return failure;
            Object message = inbox.take();
            if (!(message instanceof Finished f)) continue; // a control change: loop re-reads control
            running.remove(f.step().stepId());
            if (f.fatal() != null) {
                running.values().forEach(fu -> fu.cancel(true));
                if (f.fatal() instanceof RuntimeException r) throw r;
                if (f.fatal() instanceof Error err) throw err;
                throw new PlanExecutionError("Step " + f.step().stepId() + " failed: " + f.fatal(), null);
            }
            results.put(f.step().stepId(), f.result());
            events.emit(EventType.PLAN_STEP_COMPLETED, Map.of("plan_id", plan.planId(), "step_id",
                    f.step().stepId(), "status", f.result().status().name().toLowerCase(),
                    "completed", results.values().stream().filter(StepResult::completed).count(),
                    "total", plan.steps().size()));
            if (!f.result().completed() && failure == null) {
                failure = f.result();
                errors.add("step '" + f.step().stepId() + "' failed after " + f.result().attempts() + " attempts: "
                        + f.result().error());
            }
        }
    }

    private Finished runWithRetries(Plan plan, PlanStep step, Map<String, StepResult> inputs) {
        long start = System.nanoTime();
        String lastError = null;
        for (int attempt = 1; attempt <= retry.maxRetries() + 1; attempt++) {
            if (attempt > 1) {
                try {
                    sleeper.sleep(retry.backoff(attempt - 1));
                } catch (InterruptedException e) {
                    return new Finished(step, StepResult.skipped(step.stepId(), "cancelled"), null);
                }
            }
            listener.stepStarted(step, attempt);
            events.emit(EventType.STEP_STARTED, Map.of("plan_id", plan.planId(), "step_id", step.stepId(),
                    "attempt", attempt, "type", step.type().wireName(), "description", step.description()));
            try {
                StepRunner.Output out = runner.run(step, inputs);
                StepResult result = new StepResult(step.stepId(), StepStatus.COMPLETED, out.text(), out.usage(),
                        attempt, null, Duration.ofNanos(System.nanoTime() - start));
                record(plan, step, result);
                return new Finished(step, result, null);
            } catch (TokenBudgetExceeded e) {
                return new Finished(step, null, e);
            } catch (Error e) {
                return new Finished(step, null, e); // not a step failure: stop the plan, do not retry
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return new Finished(step, StepResult.skipped(step.stepId(), "cancelled"), null);
                }
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (!PlanExecutor.retryable(e)) {
                    attempt = retry.maxRetries() + 1;
                    StepResult failed = new StepResult(step.stepId(), StepStatus.FAILED, "", null, attempt, lastError,
                            Duration.ofNanos(System.nanoTime() - start));
                    record(plan, step, failed);
                    return new Finished(step, failed, null);
                }
            }
        }
        StepResult failed = new StepResult(step.stepId(), StepStatus.FAILED, "", null, retry.maxRetries() + 1,
                lastError, Duration.ofNanos(System.nanoTime() - start));
        record(plan, step, failed);
        return new Finished(step, failed, null);
    }

    private void record(Plan plan, PlanStep step, StepResult r) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("plan_id", plan.planId());
        payload.put("step_id", step.stepId());
        payload.put("status", r.status().name().toLowerCase());
        payload.put("output", r.output());
        payload.put("attempts", r.attempts());
        payload.put("input_tokens", r.usage().inputTokens());
        payload.put("output_tokens", r.usage().outputTokens());
        payload.put("duration_ms", r.duration().toMillis());
        if (r.error() != null) payload.put("error", r.error());
        events.emit(EventType.STEP_COMPLETED, payload);
        listener.stepFinished(step, r);
    }

    private static Map<String, StepResult> completedOnly(Map<String, StepResult> results) {
        Map<String, StepResult> out = new LinkedHashMap<>();
        results.forEach((k, v) -> { if (v.completed()) out.put(k, v); });
        return out;
    }
}
