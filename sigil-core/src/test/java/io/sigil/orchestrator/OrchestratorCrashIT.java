package io.sigil.orchestrator;

import io.sigil.events.RecordedEvent;
import io.sigil.events.file.FileEventStore;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.test.TestModel;
import io.sigil.sessions.SessionManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 mid-plan: a child JVM ({@link CrashPlanChild}) plans a -> b -> c and hangs in b; once a's
 * step.completed is durable the parent kills it, then runs the same request in the same session and checks the
 * plan resumes from its checkpoints: a is not run again, b and c are, and no new plan is made.
 */
class OrchestratorCrashIT {
    @TempDir Path dir;

    @Test
    void aPlanKilledMidRunResumesWithoutRepeatingCompletedSteps() throws Exception {
        String sessionId = "crash-" + UUID.randomUUID();
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), CrashPlanChild.class.getName(), dir.toString(), sessionId)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitCompletedStep(sessionId, "a", child, log);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close of the store
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(log)).as("the child hung in step b as scripted").contains("BLOCKED")
                .doesNotContain("UNEXPECTEDLY FINISHED");

        List<String> stepsRun = new CopyOnWriteArrayList<>();
        List<ChatRequest> planCalls = new CopyOnWriteArrayList<>();
        try (FileEventStore store = FileEventStore.open(dir.resolve("state"), 10_000)) {
            Orchestrator o = CrashPlanChild.orchestrator(dir, store, r -> {
                if (CrashPlanChild.isPlanCall(r)) {
                    planCalls.add(r);
                    return TestModel.text(CrashPlanChild.PLAN);
                }
                String step = CrashPlanChild.step(r);
                stepsRun.add(String.valueOf(step));
                return TestModel.text("resumed output of " + step);
            });

            RunResponse response = o.handle(RunRequest.builder(CrashPlanChild.GOAL).sessionId(sessionId).build(),
                    RunListener.NONE);

            assertThat(response.errors()).isEmpty();
            assertThat(response.status()).isEqualTo(RunStatus.SUCCESS);
            assertThat(response.sessionId()).isEqualTo(sessionId);
            assertThat(response.metadata()).containsEntry("resumed_steps", 1);
            assertThat(stepsRun).containsExactly(CrashPlanChild.STEP_B, CrashPlanChild.STEP_C);
            assertThat(planCalls).as("the resumed run does not plan again").isEmpty();
            assertThat(response.answerText()).isEqualTo("resumed output of " + CrashPlanChild.STEP_C);

            List<RecordedEvent> events = new SessionManager(store).events(sessionId, null);
            assertThat(events).filteredOn(e -> e.eventType().equals("plan.created")).hasSize(1);
            String planId = String.valueOf(events.stream().filter(e -> e.eventType().equals("plan.created"))
                    .findFirst().orElseThrow().event().payload().get("plan_id"));
            assertThat(response.planId()).isEqualTo(planId);
            assertThat(events).filteredOn(e -> e.eventType().equals("step.completed"))
                    .extracting(e -> e.event().payload().get("step_id")).containsExactly("a", "b", "c");
            assertThat(events).filteredOn(e -> e.eventType().equals("plan.completed"))
                    .extracting(e -> e.event().payload().get("plan_id")).containsExactly(planId);
        }
    }

    /** Polls a read-only snapshot of the store until {@code stepId}'s step.completed is on disk. */
    private void awaitCompletedStep(String sessionId, String stepId, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("child alive; its output:\n%s", Files.exists(log) ? Files.readString(log) : "")
                    .isTrue();
            try (FileEventStore snapshot = FileEventStore.openReadOnly(dir.resolve("state"), 10_000)) {
                boolean done = snapshot.read(sessionId, 1).stream().anyMatch(e -> e.eventType().equals("step.completed")
                        && stepId.equals(e.event().payload().get("step_id")));
                if (done) return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("step " + stepId + " never completed in the child; its output:\n" + Files.readString(log));
    }
}
