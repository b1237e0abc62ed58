package io.sigil.evolution;

import io.sigil.errors.EvolutionError;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import io.sigil.llm.test.TestModel;
import io.sigil.sessions.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Optimisations as jobs over the scripted model of {@link EvolutionFixture}: a job answers at once and its progress
 * and result land in the store; one runs per agent; another user's job is not found; a job a crash cut short is
 * resumed by the next start from its last generation, or marked interrupted with the reason and resumed by hand.
 */
class OptimizationJobsTest {
    @TempDir
    Path dir;

    private static OptimizationJob awaitEnd(OptimizationJobStore store, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            OptimizationJob j = store.find(id).orElseThrow();
            if (j.status() != OptimizationJob.Status.RUNNING) return j;
            Thread.sleep(20);
        }
        throw new AssertionError("job " + id + " did not end within 60 s: " + store.find(id));
    }

    private OptimizationJobs jobs(EvolutionService service, OptimizationJobStore store, String node) {
        return OptimizationJobs.builder().service(service).store(store).node(node).staleAfter(Duration.ZERO).build();
    }

    /**
     * Starts a job whose worker dies at its second rewrite (an Error, as if the process did), after generation 1 was
     * recorded: the job stays running on node-dead.
     */
    private OptimizationJob crashedAfterFirstGeneration(EvolutionFixture f, OptimizationJobStore store) throws Exception {
        AtomicInteger rewrites = new AtomicInteger();
        var crashing = TestModel.scripted(r -> {
            if (rewrites.incrementAndGet() == 2) throw new EvolutionServiceTest.SimulatedCrash();
            return TestModel.text("{\"prompts\": [" + EvolutionFixture.quote(EvolutionFixture.parent(r) + " Be brief.") + "]}");
        });
        OptimizeOptions o = EvolutionServiceTest.options().mutations(0).generations(3).build();
        try (OptimizationJobs first = jobs(f.service(true, crashing), store, "node-dead")) {
            OptimizationJob job = first.submit("qualifier", o, "alice");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (rewrites.get() < 2 && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(200); // the worker's end, after the crash
            return job;
        }
    }

    @Test
    void aJobAnswersAtOnceAndItsGenerationsAndResultLandInTheStore() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var store = new FileOptimizationJobStore(dir.resolve("state"));
            try (OptimizationJobs jobs = jobs(f.service(true), store, "node-a")) {
                OptimizationJob job = jobs.submit("qualifier", EvolutionServiceTest.options().build(), "alice");
                assertThat(job.status()).isEqualTo(OptimizationJob.Status.RUNNING);
                assertThat(job.owner()).isEqualTo("alice");

                OptimizationJob done = awaitEnd(store, job.id());
                assertThat(done.status()).as(done.reason()).isEqualTo(OptimizationJob.Status.COMPLETED);
                assertThat(done.result().get("status")).isEqualTo("improved");
                assertThat(done.result().get("version_id")).isEqualTo("v2");
                assertThat(done.generation()).isBetween(1, 3);
                assertThat(f.prompt()).contains("timeline");
                // Its session is the owner's: the events are the detail of the job.
                assertThat(f.sessions.load(job.id(), Caller.user("alice")).owner()).isEqualTo("alice");
                assertThat(f.sessions.events(job.id(), "evolution.completed")).hasSize(1);

                assertThat(jobs.find("qualifier", job.id(), Caller.user("alice"))).isEqualTo(done);
                assertThat(jobs.find("qualifier", job.id(), Caller.LOCAL_ADMIN)).isEqualTo(done);
                assertThatThrownBy(() -> jobs.find("qualifier", job.id(), Caller.user("bob"))).isInstanceOf(NotFoundError.class);
                assertThatThrownBy(() -> jobs.find("other", job.id(), Caller.user("alice"))).isInstanceOf(NotFoundError.class);
                assertThatThrownBy(() -> jobs.resume(job.id(), Caller.user("bob"))).isInstanceOf(NotFoundError.class);
            }
        }
    }

    @Test
    void oneOptimisationRunsPerAgentAndAClientsMistakeRecordsNoJob() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch rewriting = new CountDownLatch(1);
            var held = TestModel.scripted(r -> {
                rewriting.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return TestModel.text("{\"prompts\": [" + EvolutionFixture.quote(EvolutionFixture.parent(r)
                        + " Always state the buyer's timeline.") + "]}");
            });
            var store = new FileOptimizationJobStore(dir.resolve("state"));
            try (OptimizationJobs jobs = jobs(f.service(true, held), store, "node-a")) {
                OptimizeOptions o = EvolutionServiceTest.options().mutations(0).build();
                OptimizationJob first = jobs.submit("qualifier", o, "alice");
                assertThat(rewriting.await(60, TimeUnit.SECONDS)).isTrue();
                assertThatThrownBy(() -> jobs.submit("qualifier", o, "bob")).isInstanceOf(EvolutionError.class)
                        .hasMessageContaining("already running: " + first.id());
                assertThatThrownBy(() -> jobs.submit("nobody", o, "bob")).isInstanceOf(NotFoundError.class);
                release.countDown();
                assertThat(awaitEnd(store, first.id()).status()).isEqualTo(OptimizationJob.Status.COMPLETED);
                assertThat(store.running()).isEmpty();
            }
            // A case file that cannot be read fails the request before any job is recorded.
            Files.writeString(TestCases.dir(dir.resolve("agents"), "qualifier").resolve(TestCases.JSONL_FILE), "{oops\n");
            try (OptimizationJobs jobs = jobs(f.service(true), store, "node-a")) {
                assertThatThrownBy(() -> jobs.submit("qualifier", OptimizeOptions.builder().build(), "alice"))
                        .isInstanceOf(InvalidInputError.class);
                assertThat(store.running()).isEmpty();
            }
        }
    }

    @Test
    void aJobACrashCutShortIsResumedAtTheNextStartFromItsLastGeneration() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var store = new FileOptimizationJobStore(dir.resolve("state"));
            OptimizationJob job = crashedAfterFirstGeneration(f, store);
            OptimizationJob cut = store.find(job.id()).orElseThrow();
            assertThat(cut.status()).isEqualTo(OptimizationJob.Status.RUNNING);
            assertThat(cut.node()).isEqualTo("node-dead");
            assertThat(cut.generation()).isEqualTo(1);

            try (OptimizationJobs restarted = jobs(f.service(true), store, "node-new")) {
                var recovered = restarted.recover();
                assertThat(recovered).extracting(OptimizationJob::id).containsExactly(job.id());
                OptimizationJob done = awaitEnd(store, job.id());
                assertThat(done.status()).as(done.reason()).isEqualTo(OptimizationJob.Status.COMPLETED);
                assertThat(done.node()).isEqualTo("node-new");
                assertThat(done.result().get("status")).isEqualTo("improved");
                assertThat(f.sessions.events(job.id(), "evolution.generation").stream()
                        .map(e -> ((Number) e.event().payload().get("generation")).intValue()).toList())
                        .startsWith(0, 1, 2).doesNotHaveDuplicates();
                assertThat(restarted.recover()).isEmpty(); // nothing left to take over
            }
        }
    }

    @Test
    void aRunningReplicaTakesOverTheJobOfOneThatDiedWithoutRestarting() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var store = new FileOptimizationJobStore(dir.resolve("state"));
            OptimizationJob job = crashedAfterFirstGeneration(f, store);
            // No recover() call: the live replica's heartbeat finds the job whose heartbeat stopped (after 3 beats).
            try (OptimizationJobs live = OptimizationJobs.builder().service(f.service(true)).store(store).node("node-live")
                    .staleAfter(Duration.ZERO).heartbeat(Duration.ofMillis(100)).build()) {
                OptimizationJob done = awaitEnd(store, job.id());
                assertThat(done.status()).as(done.reason()).isEqualTo(OptimizationJob.Status.COMPLETED);
                assertThat(done.node()).isEqualTo("node-live");
            }
        }
    }

    @Test
    void aJobThatCannotGoOnIsMarkedInterruptedWithTheReasonAndResumesByHand() throws Exception {
        try (var f = new EvolutionFixture(dir, 6)) {
            var store = new FileOptimizationJobStore(dir.resolve("state"));
            OptimizationJob job = crashedAfterFirstGeneration(f, store);
            // A case it used is gone while the server was down.
            Path cases = TestCases.dir(dir.resolve("agents"), "qualifier").resolve(TestCases.JSONL_FILE);
            String all = Files.readString(cases);
            Files.writeString(cases, all.lines().skip(1).map(l -> l + "\n").reduce("", String::concat));
            try (OptimizationJobs restarted = jobs(f.service(true), store, "node-new")) {
                OptimizationJob marked = restarted.recover().getFirst();
                assertThat(marked.status()).isEqualTo(OptimizationJob.Status.INTERRUPTED);
                assertThat(store.find(job.id()).orElseThrow().reason()).contains("Cut short by a crash or restart of node-dead")
                        .contains("no longer exists");
                assertThat(store.running()).isEmpty();

                Files.writeString(cases, all); // put back: it can go on, by hand
                OptimizationJob again = restarted.resume(job.id(), Caller.user("alice"));
                assertThat(again.status()).isEqualTo(OptimizationJob.Status.RUNNING);
                assertThat(awaitEnd(store, job.id()).status()).isEqualTo(OptimizationJob.Status.COMPLETED);
            }
        }
    }
}
