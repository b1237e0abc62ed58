package io.sigil.postgres;

import io.sigil.agents.AgentDefinitions;
import io.sigil.backup.BackupReader;
import io.sigil.backup.BackupWriter;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.contracts.ContractLoader;
import io.sigil.events.Event;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.StreamInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A PostgreSQL snapshot (one REPEATABLE READ transaction) taken while writers append batches of five events:
 * it holds whole batches only, each session a prefix of what the database holds afterwards, and nothing
 * committed after it opened, whatever the writers do while it is read.
 */
class PostgresSnapshotIT {
    private static final int BATCH = 5;
    @TempDir
    Path dir;
    private TestDatabase db;
    private PostgresEventStore events;

    @BeforeEach
    void open() {
        db = TestDatabase.create("snapshot");
        events = PostgresEventStore.open(db.database(), 1_000_000);
    }

    @AfterEach
    void close() {
        events.close();
        db.close();
    }

    private static List<Event> batch(String session, int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) out.add(Event.of("test.written", session, Map.of("batch", n, "i", i, "pad", "x".repeat(40))));
        return out;
    }

    @Test
    void aSnapshotUnderConcurrentAppendsHoldsWholeBatchesAndNothingCommittedAfterIt() throws Exception {
        var running = new AtomicBoolean(true);
        var failure = new AtomicReference<Throwable>();
        var appended = new AtomicLong(); // events of acknowledged writer appends
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String session = "writer-" + w;
            writers.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                try {
                    while (running.get()) {
                        events.append(session, ExpectedVersion.ANY, batch(session, n++));
                        appended.addAndGet(BATCH);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
        }
        try {
            while (appended.get() < 400) Thread.sleep(20);
            Map<String, List<UUID>> seen = new LinkedHashMap<>();
            Path backup = dir.resolve("backup");
            BackupWriter.Result written;
            try (PostgresSnapshot snapshot = new PostgresSnapshot(db.database(), new AgentDefinitions(Set.of("direct")), new ContractLoader())) {
                // Committed after the snapshot opened: must not be in it.
                events.append("after-snapshot", ExpectedVersion.NO_STREAM, batch("after-snapshot", 0));
                long before = appended.get();
                while (appended.get() < before + 200) Thread.sleep(20); // the writers go on meanwhile
                snapshot.events(e -> seen.computeIfAbsent(e.sessionId(), s -> new ArrayList<>()).add(e.eventId()));
                written = new BackupWriter().write(snapshot, null, backup);
            }
            assertThat(seen).doesNotContainKey("after-snapshot").isNotEmpty();
            running.set(false);
            for (Thread t : writers) t.join();
            assertThat(failure.get()).isNull();
            long total = 0;
            for (var e : seen.entrySet()) {
                assertThat(e.getValue().size() % BATCH).as("whole batches of " + e.getKey()).isZero();
                List<UUID> now = events.read(e.getKey(), 1).stream().map(RecordedEvent::event).map(Event::eventId).toList();
                assertThat(now).startsWith(e.getValue().toArray(UUID[]::new));
                total += e.getValue().size();
            }
            long stored = events.sessions().stream().mapToLong(StreamInfo::version).sum();
            assertThat(stored).as("events in the database now").isEqualTo(appended.get() + BATCH).isGreaterThan(total);
            // The export of the same snapshot is that state, and verifies.
            assertThat(written.records(Part.EVENTS)).isEqualTo(total);
            BackupReader.Report report = new BackupReader().verify(backup);
            assertThat(report.errors()).isEmpty();
            assertThat(report.parts().get(Part.EVENTS).records()).isEqualTo(total);
        } finally {
            running.set(false);
            for (Thread t : writers) t.join();
        }
    }
}
