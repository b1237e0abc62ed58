package io.sigil.events.file;

import io.sigil.events.Event;
import io.sigil.events.EventStoreCorruptedError;
import io.sigil.events.EventStoreStoppedError;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damaged files and failing disks: torn tails are cut, damage in the middle is reported, a failed sync stops the store. */
class FileEventStoreFaultIT {
    private static final int MAX = 10_000;

    @TempDir
    Path dir;

    /** The recovery tests open stores thousands of times; they test what open does with the bytes, not fsync. */
    private final FileIo io = FaultyIo.unsynced();
    private final FileStoreMaintenance maintenance = new FileStoreMaintenance(io);

    private FileEventStore open(Path data) {
        return FileEventStore.open(new FileEventStore.Config(data, MAX).withIo(io));
    }

    private static List<Event> batch(String session, int from, int size) {
        return IntStream.range(from, from + size)
                .mapToObj(i -> Event.of(EventType.MESSAGE_ADDED, session, Map.of("n", i, "content", "event number " + i)))
                .toList();
    }

    /** A store of 10 single-event batches then one last batch of {@code lastBatch}; returns [last batch start, its end]. */
    private long[] writeStore(Path data, int lastBatch) throws IOException {
        try (FileEventStore s = open(data)) {
            for (int i = 0; i < 10; i++) s.append("s", ExpectedVersion.ANY, batch("s", i, 1));
        }
        long start = logicalEnd(Files.readAllBytes(segment(data)));
        try (FileEventStore s = open(data)) {
            s.append("s", ExpectedVersion.ANY, batch("s", 10, lastBatch));
        }
        return new long[] {start, logicalEnd(Files.readAllBytes(segment(data)))};
    }

    /** Where the records of a segment end (the store preallocates zeros after them). */
    private static long logicalEnd(byte[] segment) {
        var buf = java.nio.ByteBuffer.wrap(segment);
        int at = 0;
        while (at + RecordFormat.HEADER <= segment.length && buf.getInt(at) == RecordFormat.MAGIC) {
            at += RecordFormat.HEADER + buf.getInt(at + 4);
        }
        return at;
    }

    private static Path segment(Path data) throws IOException {
        return StoreLayout.currentLogDir(data).orElseThrow().resolve(LogScan.segmentName(1));
    }

    @Test
    void aTornLastBatchIsCutAtEveryByteOffsetWhateverFollowsIt() throws IOException {
        for (int lastBatch : new int[] {1, 3}) {
            Path data = dir.resolve("batch-" + lastBatch);
            long[] range = writeStore(data, lastBatch);
            Path seg = segment(data);
            byte[] pristine = Files.readAllBytes(seg);
            var random = new Random(lastBatch);
            int checked = 0;
            for (long cut = range[0]; cut < range[1]; cut++) {
                // The one-record batch gets all three fills at every offset; the three-record batch one fill per
                // offset, in turn (every offset still cut, each fill over the whole range).
                for (int fill = lastBatch == 1 ? 0 : (int) (cut % 3); fill < 3; fill += lastBatch == 1 ? 1 : 3) {
                    byte[] tail = new byte[fill == 0 ? 0 : (int) (range[1] - cut)];
                    if (fill == 2) random.nextBytes(tail);
                    byte[] damaged = Arrays.copyOf(pristine, (int) cut + tail.length);
                    System.arraycopy(tail, 0, damaged, (int) cut, tail.length);
                    Files.write(seg, damaged);

                    boolean deepCheck = checked++ % 50 == 0;
                    try (FileEventStore s = open(data)) {
                        assertThat(s.version("s")).as("cut at %d, fill %d", cut, fill).isEqualTo(10);
                        assertThat(s.read("s", 1)).extracting(e -> e.event().payload().get("n"))
                                .containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
                        // The store goes on from the cut: new appends land and survive a restart.
                        if (deepCheck) s.append("s", ExpectedVersion.exact(10), batch("s", 10, 2));
                    }
                    if (deepCheck) {
                        try (FileEventStore s = open(data)) {
                            assertThat(s.version("s")).isEqualTo(12);
                        }
                        assertThat(maintenance.verify(data).ok()).isTrue();
                    }
                }
            }
            assertThat(checked).isEqualTo((lastBatch == 1 ? 3 : 1) * (range[1] - range[0]));
        }
    }

    @Test
    void aFlippedBitInAMiddleRecordIsReportedNotSkipped() throws IOException {
        writeStore(dir, 1);
        Path seg = segment(dir);
        byte[] pristine = Files.readAllBytes(seg);
        long[] bounds = recordBounds(pristine, 4); // the fifth of eleven records
        for (long at = bounds[0]; at < bounds[1]; at++) {
            byte[] damaged = pristine.clone();
            damaged[(int) at] ^= (byte) (1 << (at % 8));
            Files.write(seg, damaged);
            long offset = at;
            assertThatThrownBy(() -> open(dir).close())
                    .as("bit flipped at offset %d", offset)
                    .isInstanceOfSatisfying(EventStoreCorruptedError.class, e -> {
                        assertThat(e.getMessage()).contains("segment-00000001.log offset " + bounds[0]);
                        assertThat(e.hint()).contains("sigil verify");
                    });
            VerifyReport report = maintenance.verify(dir);
            assertThat(report.ok()).isFalse();
            assertThat(report.errors().getFirst()).contains("offset " + bounds[0]);
        }
        Files.write(seg, pristine);
        try (FileEventStore s = open(dir)) {
            assertThat(s.version("s")).isEqualTo(11);
        }
    }

    /** Start and end offsets of record number {@code n} (0-based) in a segment's bytes. */
    private static long[] recordBounds(byte[] segment, int n) {
        var buf = java.nio.ByteBuffer.wrap(segment);
        int at = 0;
        for (int i = 0; i < n; i++) at += RecordFormat.HEADER + buf.getInt(at + 4);
        return new long[] {at, at + RecordFormat.HEADER + buf.getInt(at + 4)};
    }

    @Test
    void aFailedForceStopsTheStoreWithoutAckAndRestartRecoversCleanly() throws Exception {
        var io = new FaultyIo();
        var config = new FileEventStore.Config(dir, MAX).withIo(io);
        List<Event> unacknowledged = batch("s", 3, 3);
        try (FileEventStore s = FileEventStore.open(config)) {
            s.append("s", ExpectedVersion.ANY, batch("s", 0, 3));
            io.failForce.set(true);
            assertThatThrownBy(() -> s.append("s", ExpectedVersion.ANY, unacknowledged))
                    .isInstanceOf(EventStoreStoppedError.class).hasMessageContaining("injected");
            int forcesTried = io.failedForces.get();
            io.failForce.set(false);
            // Stopped means stopped: no retry that could pretend the lost sync happened.
            assertThatThrownBy(() -> s.append("s", ExpectedVersion.ANY, batch("s", 6, 1)))
                    .isInstanceOf(EventStoreStoppedError.class);
            assertThatThrownBy(() -> s.read("s", 1)).isInstanceOf(EventStoreStoppedError.class);
            assertThat(io.failedForces.get()).isEqualTo(forcesTried);
        }
        try (FileEventStore s = FileEventStore.open(dir, MAX)) {
            List<RecordedEvent> events = s.read("s", 1);
            // The unacknowledged batch may or may not have reached the disk, but only as a whole.
            assertThat(events.size()).isIn(3, 6);
            assertThat(events).extracting(e -> e.event().payload().get("n"))
                    .containsExactlyElementsOf(IntStream.range(0, events.size()).boxed().toList());
            s.append("s", ExpectedVersion.exact(events.size()), batch("s", events.size(), 1));
        }
        assertThat(new FileStoreMaintenance().verify(dir).ok()).isTrue();
    }

    @Test
    void aFailedForceWhileRollingASegmentAlsoStopsTheStore() {
        var io = new FaultyIo();
        var config = new FileEventStore.Config(dir, MAX).withIo(io).withSegmentBytes(4096);
        try (FileEventStore s = FileEventStore.open(config)) {
            int n = 0;
            while (s.lastPosition() < 30) s.append("s", ExpectedVersion.ANY, batch("s", n++, 1));
            io.failForce.set(true);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) s.append("s", ExpectedVersion.ANY, batch("s", 1000 + i, 1));
            }).isInstanceOf(EventStoreStoppedError.class);
        }
        try (FileEventStore s = FileEventStore.open(dir, MAX)) {
            assertThat(s.version("s")).isGreaterThanOrEqualTo(30);
        }
    }
}
