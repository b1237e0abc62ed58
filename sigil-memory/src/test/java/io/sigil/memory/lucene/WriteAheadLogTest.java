package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WriteAheadLogTest {
    private static final long BIG = 64L << 20;
    @TempDir Path dir;

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static List<String> texts(WriteAheadLog log) {
        return log.recovered().stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
    }

    private List<Path> segments() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void recordsAfterTheCommittedSequenceAreReplayedAndNumberingContinues() throws Exception {
        try (var log = WriteAheadLog.open(dir, 0, BIG)) {
            for (String s : List.of("a", "b", "c")) log.sync(log.append(bytes(s)));
        }
        try (var log = WriteAheadLog.open(dir, 1, BIG)) {
            assertThat(texts(log)).containsExactly("b", "c");
            assertThat(log.recovered()).extracting(WriteAheadLog.Entry::seq).containsExactly(2L, 3L);
            assertThat(log.append(bytes("d"))).isEqualTo(4);
        }
        try (var log = WriteAheadLog.open(dir, 10, BIG)) {
            assertThat(log.recovered()).isEmpty();
            assertThat(log.append(bytes("e"))).as("never reuses a sequence the index has committed").isEqualTo(11);
        }
    }

    @Test
    void anOpenLogReadsBackTheRecordsAfterASequenceAcrossSegments() throws Exception {
        // Tiny segments: every record rolls to a new file, so reading back crosses several.
        try (var log = WriteAheadLog.open(dir, 0, 1)) {
            for (String s : List.of("a", "b", "c", "d")) log.sync(log.append(bytes(s)));
            log.truncateThrough(1);
            assertThat(log.readAfter(2)).extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
                    .containsExactly("c", "d");
            assertThat(log.readAfter(2)).extracting(WriteAheadLog.Entry::seq).containsExactly(3L, 4L);
            assertThat(log.readAfter(4)).isEmpty();
            log.append(bytes("e")); // not yet forced: still read back (the index may have applied it)
            assertThat(log.readAfter(4)).extracting(WriteAheadLog.Entry::seq).containsExactly(5L);
        }
    }

    @Test
    void aTornTailIsCutOffAndTheLogKeepsWorking() throws Exception {
        try (var log = WriteAheadLog.open(dir, 0, BIG)) {
            log.sync(log.append(bytes("kept")));
            log.sync(log.append(bytes("torn")));
        }
        Path file = segments().getFirst();
        long size = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 2); // a crash in the middle of the second record
        }
        try (var log = WriteAheadLog.open(dir, 0, BIG)) {
            assertThat(texts(log)).containsExactly("kept");
            log.sync(log.append(bytes("after")));
        }
        try (var log = WriteAheadLog.open(dir, 0, BIG)) {
            assertThat(texts(log)).containsExactly("kept", "after");
        }
    }

    @Test
    void aBadChecksumAtTheEndIsATornWriteButInAnOlderSegmentItIsDamage() throws Exception {
        try (var log = WriteAheadLog.open(dir, 0, 40)) { // tiny segments: one record each
            for (String s : List.of("one-record-of-some-length", "two-record-of-some-length", "three")) {
                log.sync(log.append(bytes(s)));
            }
        }
        assertThat(segments()).hasSizeGreaterThanOrEqualTo(3);
        Path first = segments().getFirst();
        byte[] content = Files.readAllBytes(first);
        content[content.length - 1] ^= 0x55;
        Files.write(first, content);

        assertThatThrownBy(() -> WriteAheadLog.open(dir, 0, 40)).isInstanceOf(MemoryError.class)
                .hasMessageContaining("bad checksum")
                .satisfies(e -> assertThat(((MemoryError) e).hint()).contains("reindex"));
    }

    @Test
    void segmentsTheIndexHoldsAreDeleted() throws Exception {
        try (var log = WriteAheadLog.open(dir, 0, 40)) {
            for (int i = 0; i < 6; i++) log.sync(log.append(bytes("record-number-" + i + "-padding")));
            int before = segments().size();
            log.truncateThrough(3);
            assertThat(segments().size()).isLessThan(before);
            log.truncateThrough(6);
            assertThat(segments()).hasSize(1); // the open segment stays
        }
        try (var log = WriteAheadLog.open(dir, 6, 40)) {
            assertThat(log.recovered()).isEmpty();
        }
    }

    @Test
    void concurrentWritersAllBecomeDurable() throws Exception {
        int writers = 16, each = 50;
        try (var log = WriteAheadLog.open(dir, 0, 4096); var pool = Executors.newFixedThreadPool(writers)) {
            var done = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                int id = w;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) log.sync(log.append(bytes(id + ":" + i)));
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        try (var log = WriteAheadLog.open(dir, 0, 4096)) {
            assertThat(log.recovered()).hasSize(writers * each);
            assertThat(log.recovered()).extracting(WriteAheadLog.Entry::seq).isSorted().doesNotHaveDuplicates();
        }
    }
}
