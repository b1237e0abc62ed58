package io.sigil.events.file;

import io.sigil.errors.StateError;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.EventStoreConformance;
import io.sigil.events.EventStoreLockedError;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conformance suite on the file store, plus what only a file store has: the directory lock, segments, read-only opens. */
class FileEventStoreTest extends EventStoreConformance {
    @TempDir
    Path dir;

    @Override
    protected EventStore openStore(int maxEventsPerSession) {
        // Small segments, so the suite also runs across segment boundaries.
        return FileEventStore.open(new FileEventStore.Config(dir, maxEventsPerSession).withSegmentBytes(8192));
    }

    /**
     * The conformance suite asks only for increasing positions, contiguous within an append; the file store's are
     * also dense from 1, and a deleted session leaves its positions unused, also after a restart.
     */
    @Test
    void positionsAreDenseFromOneAndNotReusedAfterADeletion() {
        EventStore s = open(MAX);
        assertThat(s.lastPosition()).isZero();
        assertThat(s.append("a", ExpectedVersion.ANY, events("a", 0, 3))).isEqualTo(new AppendResult("a", 1, 3, 1, 3));
        assertThat(s.append("b", ExpectedVersion.ANY, events("b", 0, 2))).isEqualTo(new AppendResult("b", 1, 2, 4, 5));
        assertThat(s.append("a", ExpectedVersion.ANY, events("a", 3, 1))).isEqualTo(new AppendResult("a", 4, 4, 6, 6));
        assertThat(s.readAll(1, 100)).extracting(RecordedEvent::position).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(s.readAll(4, 2)).extracting(RecordedEvent::position).containsExactly(4L, 5L);
        assertThat(s.lastPosition()).isEqualTo(6);
        assertThat(s.delete("a")).isTrue();
        EventStore again = reopen(s, MAX);
        assertThat(again.readAll(1, 100)).extracting(RecordedEvent::position).containsExactly(4L, 5L);
        assertThat(again.append("c", ExpectedVersion.ANY, events("c", 0, 2))).isEqualTo(new AppendResult("c", 1, 2, 7, 8));
        assertThat(again.lastPosition()).isEqualTo(8);
    }

    @Test
    void aSecondWriterOfTheSameDirectoryFailsAtOnceNamingDirectoryAndHolder() {
        open(MAX);
        assertThatThrownBy(() -> FileEventStore.open(dir, MAX))
                .isInstanceOf(EventStoreLockedError.class)
                .hasMessageContaining(dir.toAbsolutePath().toString())
                .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }

    @Test
    void theLockIsReleasedOnClose() {
        EventStore s = open(MAX);
        s.append("s", ExpectedVersion.ANY, events("s", 0, 1));
        s.close();
        EventStore again = open(MAX);
        assertThat(again.version("s")).isEqualTo(1);
    }

    @Test
    void rollsSegmentsAndReadsAcrossThem() throws Exception {
        EventStore s = open(MAX);
        for (int i = 0; i < 200; i++) s.append("s" + (i % 5), ExpectedVersion.ANY, events("s" + (i % 5), i, 2));
        Path gen = StoreLayout.currentLogDir(dir).orElseThrow();
        assertThat(LogScan.segments(gen)).hasSizeGreaterThan(5);
        assertThat(s.readAll(1, 1000)).hasSize(400);
        EventStore again = reopen(s, MAX);
        assertThat(again.read("s3", 1)).hasSize(80).extracting(RecordedEvent::version).endsWith(80L);
    }

    @Test
    void aReadOnlyOpenSeesDurableEventsWhileTheWriterRunsAndRefusesWrites() {
        EventStore writer = open(MAX);
        writer.append("s", ExpectedVersion.ANY, events("s", 0, 3));
        try (FileEventStore reader = FileEventStore.openReadOnly(dir, MAX)) {
            assertThat(reader.read("s", 1)).hasSize(3);
            assertThatThrownBy(() -> reader.append("s", ExpectedVersion.ANY, events("s", 3, 1)))
                    .isInstanceOf(StateError.class).hasMessageContaining("read-only");
        }
        writer.append("s", ExpectedVersion.ANY, events("s", 3, 1));
        assertThat(writer.version("s")).isEqualTo(4);
    }

    @Test
    void aReadOnlyOpenOfAMissingDirectoryIsEmpty() {
        try (FileEventStore reader = FileEventStore.openReadOnly(dir.resolve("nothing"), MAX)) {
            assertThat(reader.sessions()).isEmpty();
        }
        assertThat(Files.exists(dir.resolve("nothing"))).isFalse();
    }

    @Test
    void verifyReportsAHealthyStore() {
        EventStore s = open(MAX);
        s.append("a", ExpectedVersion.ANY, List.of(Event.of(EventType.SESSION_STARTED, "a", Map.of())));
        s.append("b", ExpectedVersion.ANY, events("b", 0, 4));
        VerifyReport r = new FileStoreMaintenance().verify(dir);
        assertThat(r.ok()).isTrue();
        assertThat(r.events()).isEqualTo(5);
        assertThat(r.sessions()).isEqualTo(2);
        assertThat(r.warnings()).isEmpty();
    }
}
