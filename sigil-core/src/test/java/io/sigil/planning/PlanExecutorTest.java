package io.sigil.planning;

import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.llm.Usage;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanExecutorTest {
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final List<EventType> events = new CopyOnWriteArrayList<>();
    private final EventSink sink = (type, payload) -> events.add(type);
    private final PlanExecutor executor = new PlanExecutor(3, RetryPolicy.DEFAULT, waits::add);

    private static Plan plan(PlanStep... steps) {
        return new Plan("p1", "goal", List.of(steps), Instant.EPOCH);
    }

    private static StepRunner.Output out(String text) { return new StepRunner.Output(text, Usage.of(10, 5)); }

    @Test
    void runsIndependentStepsInParallelAndPassesResultsToDependents() {
        CyclicBarrier bothMiddleStepsRunning = new CyclicBarrier(2);
        StepRunner runner = (step, inputs) -> {
            if (step.stepId().equals("b") || step.stepId().equals("c")) {
                try {
                    bothMiddleStepsRunning.await(10, TimeUnit.SECONDS); // fails unless b and c overlap
                } catch (Exception e) {
                    throw new IllegalStateException("b and c did not run in parallel", e);
                }
            }
            return out(step.stepId() + "(" + String.join(",", inputs.keySet().stream().sorted().toList()) + ")");
        };
        Plan p = plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a"),
                PlanStep.reasoning("c", "x", "a"), PlanStep.reasoning("d", "x", "b", "c"));

        PlanOutcome o = executor.execute(p, Map.of(), runner, null, sink, PlanListener.NONE);

        assertThat(o.status()).isEqualTo(PlanStatus.COMPLETED);
        assertThat(o.results().get("d").output()).isEqualTo("d(b,c)");
        assertThat(o.finalOutput()).isEqualTo("d(b,c)");
        assertThat(o.usage()).isEqualTo(Usage.of(40, 20));
        assertThat(events).filteredOn(e -> e == EventType.STEP_COMPLETED).hasSize(4);
        assertThat(events.getLast()).isEqualTo(EventType.PLAN_COMPLETED);
    }

    @Test
    void neverRunsMoreThanMaxParallelAtOnce() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CyclicBarrier three = new CyclicBarrier(3);
        StepRunner runner = (step, inputs) -> {
            peak.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                if (step.stepId().compareTo("s3") < 0) three.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                now.decrementAndGet();
            }
            return out("ok");
        };
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < 7; i++) steps.add(PlanStep.reasoning("s" + i, "x"));

        PlanOutcome o = executor.execute(new Plan("p", "g", steps, Instant.EPOCH), Map.of(), runner, null, sink,
                PlanListener.NONE);

        assertThat(o.success()).isTrue();
        assertThat(peak.get()).isEqualTo(3);
    }

    @Test
    void retriesWithBackoffOneTwoFourSeconds() {
        AtomicInteger calls = new AtomicInteger();
        StepRunner flaky = (step, inputs) -> {
            if (calls.incrementAndGet() < 3) throw new IllegalStateException("transient " + calls.get());
            return out("finally");
        };

        PlanOutcome o = executor.execute(plan(PlanStep.reasoning("a", "x")), Map.of(), flaky, null, sink,
                PlanListener.NONE);

        assertThat(o.results().get("a").attempts()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(RetryPolicy.DEFAULT.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(RetryPolicy.DEFAULT.backoff(10)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aStepThatFailsForGoodSkipsDependentsThenReplansOnce() {
        List<String> ran = new CopyOnWriteArrayList<>();
        StepRunner runner = (step, inputs) -> {
            ran.add(step.stepId());
            if (step.stepId().equals("b")) throw new IllegalStateException("service down");
            return out(step.stepId());
        };
        AtomicInteger replans = new AtomicInteger();
        Replanner replanner = (failed, failure, completed) -> {
            replans.incrementAndGet();
            assertThat(failure.error()).isEqualTo("service down");
            assertThat(completed).containsOnlyKeys("a");
            return new Plan("p2", failed.goal(), List.of(PlanStep.reasoning("a", "kept"),
                    PlanStep.reasoning("b2", "another way", "a")), Instant.EPOCH);
        };
        Plan p = plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a"), PlanStep.reasoning("c", "x", "b"));

        PlanOutcome o = executor.execute(p, Map.of(), runner, replanner, sink, PlanListener.NONE);

        assertThat(replans.get()).isEqualTo(1);
        assertThat(o.replanned()).isTrue();
        assertThat(o.success()).isTrue();
        assertThat(o.plan().planId()).isEqualTo("p2");
        assertThat(ran).containsExactly("a", "b", "b", "b", "b", "b2"); // a is not run again
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(o.errors()).containsExactly("step 'b' failed after 4 attempts: service down");
    }

    @Test
    void withoutReplannerAFailureFailsThePlanAndSkipsDependents() {
        StepRunner runner = (step, inputs) -> { throw new IllegalStateException("nope"); };

        PlanOutcome o = executor.execute(plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a")),
                Map.of(), runner, null, sink, PlanListener.NONE);

        assertThat(o.status()).isEqualTo(PlanStatus.FAILED);
        assertThat(o.results().get("a").status()).isEqualTo(StepStatus.FAILED);
        assertThat(o.results().get("b").status()).isEqualTo(StepStatus.SKIPPED);
    }

    @Test
    void resumesFromCompletedStepsWithoutRunningThemAgain() {
        List<String> ran = new CopyOnWriteArrayList<>();
        StepRunner runner = (step, inputs) -> {
            ran.add(step.stepId());
            return out(step.stepId() + " saw " + inputs.get("a").output());
        };
        var done = new StepResult("a", StepStatus.COMPLETED, "A's answer", Usage.of(1, 1), 1, null, Duration.ZERO);

        PlanOutcome o = executor.execute(plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a")),
                Map.of("a", done), runner, null, sink, PlanListener.NONE);

        assertThat(ran).containsExactly("b");
        assertThat(o.results().get("b").output()).isEqualTo("b saw A's answer");
    }

    @Test
    void aBudgetOverrunStopsThePlanAtOnceWithoutRetry() {
        AtomicInteger calls = new AtomicInteger();
        StepRunner runaway = (step, inputs) -> {
            calls.incrementAndGet();
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, 5_100, 5_000);
        };

        assertThatThrownBy(() -> executor.execute(plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a")),
                Map.of(), runaway, null, sink, PlanListener.NONE)).isInstanceOf(TokenBudgetExceeded.class);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void pauseHoldsNewStepsUntilResume() throws Exception {
        AtomicReference<PlanRun> run = new AtomicReference<>();
        CountDownLatch aFinished = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        StepRunner runner = (step, inputs) -> {
            if (step.stepId().equals("a")) {
                try {
                    started.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                run.get().pause();
            }
            ran.add(step.stepId());
            return out(step.stepId());
        };
        PlanListener listener = new PlanListener() {
            @Override public void stepFinished(PlanStep step, StepResult result) { aFinished.countDown(); }
        };
        run.set(executor.start(plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a")), Map.of(),
                runner, null, sink, listener));
        started.countDown();
        assertThat(aFinished.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(ran).containsExactly("a");
        assertThat(run.get().status()).isEqualTo(PlanStatus.PAUSED); // running steps may finish; none starts
        run.get().resume();
        assertThat(run.get().await().success()).isTrue();
        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void abortCancelsRunningStepsAndSkipsTheRest() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        StepRunner blocking = (step, inputs) -> {
            running.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return out("never");
        };
        PlanRun run = executor.start(plan(PlanStep.reasoning("a", "x"), PlanStep.reasoning("b", "x", "a")), Map.of(),
                blocking, null, sink, PlanListener.NONE);
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

        run.abort();
        PlanOutcome o = run.await();

        assertThat(o.status()).isEqualTo(PlanStatus.ABORTED);
        assertThat(o.results().values()).extracting(StepResult::status).containsOnly(StepStatus.SKIPPED);
    }
}
