package io.sigil.postgres;

import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sigil processes on one PostgreSQL database (a unique one on the shared test server; PostgreSQL itself is not
 * stopped here): {@code kill -9} of a writing process at random moments loses no acknowledged run, and two
 * processes appending to the same session with expected versions never interleave their runs.
 */
class PostgresProcessesIT {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("processes");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void killNineDuringRunsLosesNoAcknowledgedRun() throws Exception {
        int cycles = Integer.getInteger("sigil.pg.crash.cycles", 20);
        var random = new Random(Long.getLong("sigil.crash.seed", System.nanoTime()));
        long acknowledged = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            Map<String, Long> acked = new ConcurrentHashMap<>();
            var writing = new CountDownLatch(1);
            Process child = child(List.of("crash", jdbcUrl(), "3"), line -> {
                String[] f = line.split(" ");
                if (f.length == 3 && f[0].equals("ACK")) {
                    acked.merge(f[1], Long.parseLong(f[2]), Math::max);
                    writing.countDown();
                }
            });
            // Kill at a random moment once it writes (its first append also pays for class loading and connecting).
            assertThat(writing.await(60, TimeUnit.SECONDS)).as("cycle %d: child appends", cycle).isTrue();
            Thread.sleep(random.nextInt(0, 300));
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            acknowledged += acked.values().stream().mapToLong(Long::longValue).sum();
            check(new HashMap<>(acked), cycle);
        }
        assertThat(acknowledged).as("events acknowledged over all cycles").isPositive();
    }

    /** Every acknowledged event is there; every run is whole, in order, never interleaved with another. */
    private void check(Map<String, Long> acked, int cycle) {
        try (var store = PostgresEventStore.open(db.database(), 1_000_000)) {
            for (int t = 0; t < 3; t++) {
                String session = "crash-" + t;
                List<RecordedEvent> events = store.read(session, 1);
                assertThat((long) events.size()).as("cycle %d %s: acknowledged events present", cycle, session)
                        .isGreaterThanOrEqualTo(acked.getOrDefault(session, 0L));
                assertWholeRuns(events, "cycle " + cycle + " " + session);
            }
        }
    }

    @Test
    void twoProcessesOnOneSessionConflictRetryAndNeverInterleave() throws Exception {
        int runs = 40;
        var childResult = new AtomicReference<String>();
        Process child = child(List.of("contend", jdbcUrl(), "2", Integer.toString(runs)), line -> {
            if (line.startsWith("DONE")) childResult.set(line);
        });
        var wins = new AtomicInteger();
        var conflicts = new AtomicInteger();
        try (var store = PostgresEventStore.open(db.database(), 1_000_000)) {
            Thread[] writers = new Thread[2];
            for (int i = 0; i < writers.length; i++) {
                writers[i] = Thread.ofPlatform().start(() -> RunWriter.contend(store, runs, wins, conflicts));
            }
            for (Thread w : writers) w.join();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
            Thread.sleep(200); // let the reader thread take the last line
            assertThat(childResult.get()).as("child's result").startsWith("DONE " + 2 * runs + " ");
            int childConflicts = Integer.parseInt(childResult.get().split(" ")[2]);

            List<RecordedEvent> events = store.read("shared", 1);
            assertThat(events).hasSize(4 * runs * RunWriter.RUN_EVENTS);
            assertWholeRuns(events, "shared");
            assertThat(wins.get()).isEqualTo(2 * runs);
            assertThat(conflicts.get() + childConflicts).as("version conflicts seen and retried").isPositive();
        }
    }

    private static void assertWholeRuns(List<RecordedEvent> events, String what) {
        assertThat(events.size() % RunWriter.RUN_EVENTS).as("%s: whole runs only", what).isZero();
        for (int i = 0; i < events.size(); i++) {
            RecordedEvent e = events.get(i);
            assertThat(e.version()).as("%s: contiguous versions", what).isEqualTo(i + 1);
            Map<String, Object> p = e.event().payload();
            assertThat(((Number) p.get("i")).intValue()).as("%s: run events in order", what).isEqualTo(i % RunWriter.RUN_EVENTS);
            assertThat(p.get("run")).as("%s: one run at a time", what)
                    .isEqualTo(events.get(i - i % RunWriter.RUN_EVENTS).event().payload().get("run"));
        }
    }

    private String jdbcUrl() {
        return db.url().jdbcUrl() + "?user=postgres&sslmode=disable";
    }

    /** Starts a {@link RunWriter} and returns once it is ready; {@code lines} sees each line it prints. */
    private static Process child(List<String> args, java.util.function.Consumer<String> lines) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path archive = Path.of(System.getProperty("java.io.tmpdir"), "sigil-pg-run-writer-" + Runtime.version().feature() + ".jsa");
        var command = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive,
                "-cp", System.getProperty("java.class.path"), RunWriter.class.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var ready = new CountDownLatch(1);
        Thread.ofPlatform().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) ready.countDown();
                    lines.accept(line);
                }
            } catch (Exception e) {
                // the pipe breaks when the child dies
            }
        });
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("child started").isTrue();
        return child;
    }
}
