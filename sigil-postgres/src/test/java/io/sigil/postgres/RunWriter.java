package io.sigil.postgres;

import io.sigil.config.Settings;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.WrongExpectedVersionError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child process of {@link PostgresProcessesIT}: a Sigil process appending runs (a batch of run-shaped events:
 * user message, strategy, model answer, contract result) to PostgreSQL.
 * <ul>
 *   <li>{@code crash URL THREADS}: each thread appends runs to its own session until the process is killed,
 *       printing {@code ACK session lastVersion} after each append returns;</li>
 *   <li>{@code contend URL THREADS RUNS}: every thread appends RUNS runs to the one session {@code shared} with the
 *       expected version it read, retrying on a version conflict; prints {@code DONE wins conflicts}.</li>
 * </ul>
 */
public final class RunWriter {
    public static final int RUN_EVENTS = 4;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        var settings = new Settings.Database(2, 8, Duration.ofSeconds(10), Duration.ofSeconds(1800), false, "disable", null);
        try (var db = new PostgresDatabase(DatabaseUrl.parse(args[1]), settings);
             var store = PostgresEventStore.open(db, 1_000_000)) {
            int threads = Integer.parseInt(args[2]);
            var workers = new ArrayList<Thread>();
            var wins = new AtomicInteger();
            var conflicts = new AtomicInteger();
            for (int t = 0; t < threads; t++) {
                String session = "crash-" + t;
                workers.add(Thread.ofPlatform().start(mode.equals("crash")
                        ? () -> crashLoop(store, session)
                        : () -> contend(store, Integer.parseInt(args[3]), wins, conflicts)));
            }
            System.out.println("READY");
            System.out.flush();
            for (Thread t : workers) t.join();
            System.out.println("DONE " + wins.get() + " " + conflicts.get());
            System.out.flush();
        }
    }

    /** One run's events, each naming the run and its place in it. */
    public static List<Event> run(String session, String runId) {
        var events = new ArrayList<Event>(RUN_EVENTS);
        events.add(Event.of(EventType.MESSAGE_ADDED, session, Map.of("run", runId, "i", 0, "role", "user", "content", "task")));
        events.add(Event.of(EventType.REASONING_STRATEGY_SELECTED, session, Map.of("run", runId, "i", 1, "strategy", "direct")));
        events.add(Event.of(EventType.MESSAGE_ADDED, session, Map.of("run", runId, "i", 2, "role", "assistant",
                "content", "x".repeat(ThreadLocalRandom.current().nextInt(300)))));
        events.add(Event.of(EventType.CONTRACT_COMPLETED, session, Map.of("run", runId, "i", 3, "status", "success")));
        return events;
    }

    private static void crashLoop(PostgresEventStore store, String session) {
        while (true) {
            AppendResult r = store.append(session, ExpectedVersion.ANY, run(session, UUID.randomUUID().toString()));
            synchronized (System.out) {
                System.out.println("ACK " + session + " " + r.lastVersion());
                System.out.flush();
            }
        }
    }

    /** Appends {@code runs} runs to {@code shared}, each with the version it read; a conflict re-reads and retries. */
    static void contend(PostgresEventStore store, int runs, AtomicInteger wins, AtomicInteger conflicts) {
        for (int n = 0; n < runs; n++) {
            List<Event> run = run("shared", UUID.randomUUID().toString());
            while (true) {
                long version = store.version("shared");
                try {
                    store.append("shared", ExpectedVersion.exact(version), run);
                    wins.incrementAndGet();
                    break;
                } catch (WrongExpectedVersionError e) {
                    conflicts.incrementAndGet();
                }
            }
        }
    }
}
