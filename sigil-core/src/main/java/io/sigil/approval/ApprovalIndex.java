package io.sigil.approval;

import io.sigil.events.EventStore;
import io.sigil.events.RecordedEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sessions hold approvals, and their latest version, kept by tailing the store's global log: built from
 * every event the first time it is asked (at start), then only the events appended since (by this process or any
 * other replica sharing the store) are read. Listing, deciding and the expiry sweep thus look at the sessions with
 * approvals only, never at every session. A session deleted from the store is dropped when its replay comes back
 * empty or at the expiry sweep ({@link #prune()}).
 */
final class ApprovalIndex {
    /** Events read per query while catching up. */
    static final int BATCH = 1_000;
    private final int batch;
    private static final String APPROVAL_EVENTS = "approval.";

    private final EventStore store;
    private final Map<String, Long> versions = new HashMap<>(); // guarded by this
    private long position; // the last global position looked at; guarded by this

    ApprovalIndex(EventStore store) {
        this(store, BATCH);
    }

    ApprovalIndex(EventStore store, int batch) {
        this.store = store;
        this.batch = batch;
    }

    /** The sessions with approvals and the latest version this index has seen of each, caught up with the store. */
    synchronized Map<String, Long> sessions() {
        while (true) {
            List<RecordedEvent> events = store.readAll(position + 1, batch);
            for (RecordedEvent e : events) {
                position = Math.max(position, e.position());
                if (e.eventType().startsWith(APPROVAL_EVENTS)) versions.put(e.sessionId(), e.version());
                else versions.computeIfPresent(e.sessionId(), (id, v) -> Math.max(v, e.version()));
            }
            if (events.size() < batch) return Map.copyOf(versions);
        }
    }

    /** Drops a session that no longer exists (its replay read nothing). */
    synchronized void forget(String sessionId) {
        versions.remove(sessionId);
    }

    /** Drops the sessions deleted from the store since they were indexed; one version look-up per indexed session. */
    void prune() {
        List<String> indexed;
        synchronized (this) {
            indexed = List.copyOf(versions.keySet());
        }
        for (String id : indexed) if (store.version(id) == 0) forget(id);
    }
}
