package io.sigil.events.file;

import io.sigil.errors.InvalidInputError;
import io.sigil.events.Event;
import io.sigil.events.EventStoreLockedError;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupRestoreTest {
    private static final int MAX = 100_000;

    @TempDir
    Path dir;

    private final FileStoreMaintenance maintenance = new FileStoreMaintenance();

    private static List<Event> one(String session, long n) {
        return List.of(Event.of(EventType.MESSAGE_ADDED, session, Map.of("n", n)));
    }

    @Test
    void aBackupTakenWhileAppendsRunRestoresToAStoreThatVerifies() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backup");
        var config = new FileEventStore.Config(data, MAX).withSegmentBytes(16 * 1024);
        List<RecordedEvent> original;
        FileStoreMaintenance.BackupResult taken;
        try (FileEventStore store = FileEventStore.open(config)) {
            var running = new AtomicBoolean(true);
            var writers = new ArrayList<Thread>();
            for (int w = 0; w < 4; w++) {
                String session = "w" + w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (long n = 0; running.get(); n++) store.append(session, ExpectedVersion.ANY, one(session, n));
                }));
            }
            while (store.lastPosition() < 200) Thread.sleep(5);
            taken = maintenance.backup(data, backup);
            Thread.sleep(50);
            running.set(false);
            for (Thread t : writers) t.join();
            original = store.readAll(1, MAX);
        }
        assertThat(taken.lastPosition()).isGreaterThanOrEqualTo(200);
        assertThat(original.size()).isGreaterThan((int) taken.lastPosition());
        assertThat(Files.readString(backup.resolve("MANIFEST.json"))).contains("\"sha256\"").contains("segment-00000001.log");

        Path restored = dir.resolve("restored");
        FileStoreMaintenance.RestoreResult r = maintenance.restore(backup, restored);
        assertThat(r.lastPosition()).isEqualTo(taken.lastPosition());
        assertThat(maintenance.verify(restored).ok()).isTrue();
        try (FileEventStore store = FileEventStore.open(restored, MAX)) {
            // A consistent cut: exactly the first events of the original, in the same order.
            assertThat(store.readAll(1, MAX)).isEqualTo(original.subList(0, (int) taken.lastPosition()));
            store.append("w0", ExpectedVersion.ANY, one("w0", -1));
        }
    }

    @Test
    void restoreReplacesAnExistingStoreAtomically() throws Exception {
        Path data = dir.resolve("data");
        try (FileEventStore store = FileEventStore.open(data, MAX)) {
            store.append("kept", ExpectedVersion.ANY, one("kept", 1));
        }
        maintenance.backup(data, dir.resolve("b"));
        try (FileEventStore store = FileEventStore.open(data, MAX)) {
            store.append("later", ExpectedVersion.ANY, one("later", 1));
        }
        Path oldGeneration = StoreLayout.currentLogDir(data).orElseThrow();

        maintenance.restore(dir.resolve("b"), data);

        assertThat(StoreLayout.currentLogDir(data).orElseThrow()).isNotEqualTo(oldGeneration);
        assertThat(oldGeneration).doesNotExist();
        try (FileEventStore store = FileEventStore.open(data, MAX)) {
            assertThat(store.sessions()).extracting(s -> s.sessionId()).containsExactly("kept");
        }
    }

    @Test
    void restoreRefusesPartialCorruptOrAlteredBackups() throws Exception {
        Path data = dir.resolve("data");
        try (FileEventStore store = FileEventStore.open(data, MAX)) {
            for (int i = 0; i < 5; i++) store.append("s", ExpectedVersion.ANY, one("s", i));
        }
        Path b = dir.resolve("b");
        maintenance.backup(data, b);
        Path target = dir.resolve("target");
        Path segment = b.resolve("events/segment-00000001.log");
        byte[] good = Files.readAllBytes(segment);

        byte[] flipped = good.clone();
        flipped[40] ^= 1;
        Files.write(segment, flipped);
        assertThatThrownBy(() -> maintenance.restore(b, target))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("SHA-256");

        Files.write(segment, java.util.Arrays.copyOf(good, good.length - 10));
        assertThatThrownBy(() -> maintenance.restore(b, target))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("bytes, the manifest says");

        Files.write(segment, good);
        Files.write(b.resolve("events/segment-00000002.log"), new byte[] {1});
        assertThatThrownBy(() -> maintenance.restore(b, target))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("does not list");
        Files.delete(b.resolve("events/segment-00000002.log"));

        Files.move(b.resolve("MANIFEST.json"), b.resolve("manifest.bak"));
        assertThatThrownBy(() -> maintenance.restore(b, target))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("MANIFEST.json is missing");
        Files.move(b.resolve("manifest.bak"), b.resolve("MANIFEST.json"));

        assertThat(target.resolve("CURRENT")).doesNotExist();
        maintenance.restore(b, target);
        assertThat(maintenance.verify(target).ok()).isTrue();
    }

    @Test
    void restoreIsRefusedWhileAnotherProcessHoldsTheDirectory() {
        Path data = dir.resolve("data");
        try (FileEventStore store = FileEventStore.open(data, MAX)) {
            store.append("s", ExpectedVersion.ANY, one("s", 1));
            maintenance.backup(data, dir.resolve("b"));
            assertThatThrownBy(() -> maintenance.restore(dir.resolve("b"), data))
                    .isInstanceOf(EventStoreLockedError.class);
        }
    }

    @Test
    void backupNeedsANewOrEmptyTarget() throws Exception {
        Path data = dir.resolve("data");
        FileEventStore.open(data, MAX).close();
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "x");
        assertThatThrownBy(() -> maintenance.backup(data, dir.resolve("full")))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("not empty");
    }
}
