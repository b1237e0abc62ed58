package io.sigil.approval;

import io.sigil.events.AppendOption;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.StreamInfo;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** An event store that counts what is asked of it: which sessions are read, how often all sessions are listed. */
final class CountingEventStore implements EventStore {
    private final EventStore store;
    final List<String> sessionsRead = new CopyOnWriteArrayList<>();
    final AtomicInteger sessionListings = new AtomicInteger();
    final AtomicInteger versionLookups = new AtomicInteger();

    CountingEventStore(EventStore store) {
        this.store = store;
    }

    void reset() {
        sessionsRead.clear();
        sessionListings.set(0);
        versionLookups.set(0);
    }

    @Override
    public AppendResult append(String sessionId, ExpectedVersion expected, List<Event> events, AppendOption... options) {
        return store.append(sessionId, expected, events, options);
    }

    @Override
    public List<RecordedEvent> read(String sessionId, long fromVersion) {
        sessionsRead.add(sessionId);
        return store.read(sessionId, fromVersion);
    }

    @Override
    public List<RecordedEvent> readAll(long fromPosition, int maxCount) { return store.readAll(fromPosition, maxCount); }

    @Override
    public long version(String sessionId) {
        versionLookups.incrementAndGet();
        return store.version(sessionId);
    }

    @Override
    public List<StreamInfo> sessions() {
        sessionListings.incrementAndGet();
        return store.sessions();
    }

    @Override
    public boolean delete(String sessionId) { return store.delete(sessionId); }

    @Override
    public long lastPosition() { return store.lastPosition(); }

    @Override
    public boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        return store.awaitPosition(position, timeout);
    }

    @Override
    public void close() { store.close(); }
}
