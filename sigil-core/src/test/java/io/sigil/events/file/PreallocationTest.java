package io.sigil.events.file;

import io.sigil.errors.StorageFullError;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Zeroed space is made ahead of the appends by the preallocator's thread; appends and fills never overlap. */
class PreallocationTest {
    private static final int MAX = 100_000;

    @TempDir
    Path dir;

    private static List<Event> batch(String session, int from, int size) {
        String filler = "x".repeat(900); // about 1 KB per event, so a few thousand batches span several segments
        return IntStream.range(from, from + size)
                .mapToObj(i -> Event.of(EventType.MESSAGE_ADDED, session, Map.of("n", i, "content", filler)))
                .toList();
    }

    @Test
    void concurrentAppendsRacingTheFillLoseNothingAcrossManySegments() throws Exception {
        // 3 MiB segments: the preallocator fills whole segments (1 MiB chunks) while eight writers race it and
        // roll to new segments, whose first appends write past the zeroed space.
        var config = new FileEventStore.Config(dir, MAX).withSegmentBytes(3L << 20);
        int writers = 8, batches = 400, perBatch = 3;
        try (FileEventStore store = FileEventStore.open(config);
             var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var done = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                String session = "writer-" + w;
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) store.append(session, ExpectedVersion.ANY, batch(session, b * perBatch, perBatch));
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        Path gen = StoreLayout.currentLogDir(dir).orElseThrow();
        assertThat(LogScan.segments(gen)).hasSizeGreaterThan(3);
        assertThat(new FileStoreMaintenance().verify(dir).ok()).isTrue();
        try (FileEventStore store = FileEventStore.open(config)) {
            for (int w = 0; w < writers; w++) {
                List<RecordedEvent> events = store.read("writer-" + w, 1);
                assertThat(events).extracting(e -> e.event().payload().get("n"))
                        .containsExactlyElementsOf(IntStream.range(0, batches * perBatch).boxed().toList());
            }
            store.append("writer-0", ExpectedVersion.exact(batches * perBatch), batch("writer-0", batches * perBatch, 1));
        }
    }

    @Test
    void spaceAheadOfTheLastAppendIsZeroedInTheBackground() throws Exception {
        try (FileEventStore store = FileEventStore.open(dir, MAX)) {
            store.append("s", ExpectedVersion.ANY, batch("s", 0, 1));
            Path segment = StoreLayout.currentLogDir(dir).orElseThrow().resolve(LogScan.segmentName(1));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(segment) < Preallocator.HIGH_WATER && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(Files.size(segment)).isGreaterThanOrEqualTo(Preallocator.HIGH_WATER);
            byte[] bytes = Files.readAllBytes(segment);
            long logicalEnd = RecordFormat.HEADER + java.nio.ByteBuffer.wrap(bytes).getInt(4);
            for (long i = logicalEnd; i < bytes.length; i++) assertThat(bytes[(int) i]).isZero();
        }
        try (FileEventStore store = FileEventStore.open(dir, MAX)) {
            assertThat(store.read("s", 1)).hasSize(1); // the zeros after the record read as preallocated space
        }
    }

    @Test
    void aFailedFillDoesNotStopTheStoreAFullDiskRefusesAppendsUntilSpaceIsFreed() throws Exception {
        var io = new FaultyIo();
        var config = new FileEventStore.Config(dir, MAX).withIo(io);
        int acknowledged = 0;
        try (FileEventStore store = FileEventStore.open(config)) {
            store.append("s", ExpectedVersion.ANY, batch("s", acknowledged++, 1));
            Path segment = StoreLayout.currentLogDir(dir).orElseThrow().resolve(LogScan.segmentName(1));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Files.size(segment) < Preallocator.HIGH_WATER && System.nanoTime() < deadline) Thread.sleep(5);
            // The disk fills up just past the zeroed space: appends still fit, the next fill does not.
            io.failWritesFrom.set(Files.size(segment));
            while (true) {
                try {
                    store.append("s", ExpectedVersion.ANY, batch("s", acknowledged, 50));
                    acknowledged += 50;
                } catch (StorageFullError e) {
                    assertThat(e).hasMessageContaining("no space left");
                    break;
                }
                assertThat(acknowledged).as("appends should be refused once they no longer fit").isLessThan(100_000);
            }
            // The failed fill ahead did not stop the store: appends went on into the zeroed space.
            assertThat(acknowledged).isGreaterThan(50);
            // Still full: refused again, reads still work.
            int before = acknowledged;
            assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, batch("s", before, 50)))
                    .isInstanceOf(StorageFullError.class);
            assertThat(store.read("s", 1)).hasSize(acknowledged);
            // Space is freed: the store accepts appends again by itself, no restart.
            io.failWritesFrom.set(Long.MAX_VALUE);
            store.append("s", ExpectedVersion.exact(acknowledged), batch("s", acknowledged, 50));
            acknowledged += 50;
            assertThat(store.writeProblem()).isEmpty();
        }
        try (FileEventStore store = FileEventStore.open(dir, MAX)) {
            List<RecordedEvent> events = store.read("s", 1);
            assertThat(events).hasSize(acknowledged);
            assertThat(events).extracting(e -> e.event().payload().get("n"))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, acknowledged).boxed().toList());
        }
        assertThat(new FileStoreMaintenance().verify(dir).ok()).isTrue();
    }

    @Test
    void theNextSegmentIsMadeAheadZeroedAndUsedWhenTheLogRolls() throws Exception {
        long segmentBytes = 256 << 10;
        var config = new FileEventStore.Config(dir, MAX).withSegmentBytes(segmentBytes);
        try (FileEventStore store = FileEventStore.open(config)) {
            store.append("s", ExpectedVersion.ANY, batch("s", 0, 1));
            Path gen = StoreLayout.currentLogDir(dir).orElseThrow();
            Path next = gen.resolve(LogScan.segmentName(2));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!(Files.exists(next) && Files.size(next) == segmentBytes) && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(Files.size(next)).as("segment 1 is zeroed to its end, so segment 2 is made ahead").isEqualTo(segmentBytes);
            // while it waits, it is an empty last segment to everyone else
            assertThat(new FileStoreMaintenance().verify(dir).ok()).isTrue();
            try (FileEventStore snapshot = FileEventStore.openReadOnly(dir, MAX)) {
                assertThat(snapshot.read("s", 1)).hasSize(1);
            }

            int n = 1;
            // past segment 1's end: the log rolls to segment 2, and segment 3 is made ahead in turn
            while (LogScan.segments(gen).size() < 3 && System.nanoTime() < deadline + 10_000_000_000L) {
                store.append("s", ExpectedVersion.ANY, batch("s", n, 20));
                n += 20;
            }
            assertThat(LogScan.segments(gen)).hasSize(3);
            assertThat(store.read("s", 1)).hasSize(n);
        }
        Path gen = StoreLayout.currentLogDir(dir).orElseThrow();
        assertThat(new FileStoreMaintenance().verify(dir).ok()).isTrue();
        assertThat(LogScan.segments(gen)).as("close deleted segment 3, made ahead and never used").hasSize(2);
    }

    @Test
    void aCrashLeavingAnEmptyNextSegmentAfterATornBatchRecovers() throws Exception {
        Path segment = tornStore();
        Files.write(segment.resolveSibling(LogScan.segmentName(2)), new byte[64 << 10]); // made ahead: zeros only

        try (FileEventStore store = FileEventStore.open(dir, MAX)) {
            assertThat(store.read("s", 1)).hasSize(3);
            store.append("s", ExpectedVersion.exact(3), batch("s", 3, 1));
        }
        assertThat(new FileStoreMaintenance().verify(dir).ok()).isTrue();
        try (FileEventStore store = FileEventStore.open(dir, MAX)) {
            assertThat(store.read("s", 1)).extracting(e -> e.event().payload().get("n")).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void dataAfterATornBatchInALaterSegmentIsStillDamage() throws Exception {
        Path segment = tornStore();
        byte[] later = new byte[64 << 10];
        later[100] = 42;
        Files.write(segment.resolveSibling(LogScan.segmentName(2)), later);
        assertThatThrownBy(() -> FileEventStore.open(dir, MAX))
                .isInstanceOf(io.sigil.events.EventStoreCorruptedError.class)
                .hasMessageContaining("followed by data in " + LogScan.segmentName(2));
    }

    /** A store of three events in one batch, then the start of a batch that never completed; returns segment 1. */
    private Path tornStore() throws Exception {
        try (FileEventStore store = FileEventStore.open(dir, MAX)) {
            store.append("s", ExpectedVersion.ANY, batch("s", 0, 3));
        }
        Path segment = StoreLayout.currentLogDir(dir).orElseThrow().resolve(LogScan.segmentName(1));
        byte[] bytes = Files.readAllBytes(segment);
        var buf = java.nio.ByteBuffer.wrap(bytes);
        int end = 0;
        // the file may or may not have zeros after the records yet (the fill runs on its own thread)
        while (end + RecordFormat.HEADER <= bytes.length && buf.getInt(end) == RecordFormat.MAGIC) {
            end += RecordFormat.HEADER + buf.getInt(end + 4);
        }
        try (var ch = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(bytes, 40)), end);
        }
        return segment;
    }
}
