package io.sigil.bench.events;

import io.sigil.events.Event;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.file.FileEventStore;

import java.nio.file.Path;
import java.util.List;

/** Sigil's file store. */
final class FileLog implements BenchEventLog {
    private final FileEventStore store;

    FileLog(Path dir) { this.store = FileEventStore.open(dir, 1_000_000); }

    @Override
    public void append(String sessionId, List<Event> events) { store.append(sessionId, ExpectedVersion.ANY, events); }

    FileEventStore store() { return store; }

    @Override
    public void close() { store.close(); }
}
