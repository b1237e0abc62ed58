package io.sigil.events;

import java.util.List;
import java.util.Map;

/**
 * The durable {@link EventSink}: appends each emitted event to the store for one session, stamped with the
 * agent and correlation id it was bound to. The orchestrator creates one per request. An emit returns after
 * the event is on disk (emitAll: all of them, with one append); a store failure propagates (a step that cannot be recorded is not silently lost).
 */
public final class StoreEventSink implements EventSink {
    private final EventStore store;
    private final String sessionId;
    private final String agentId;
    private final String correlationId;

    public StoreEventSink(EventStore store, String sessionId, String agentId, String correlationId) {
        this.store = store;
        this.sessionId = Event.checkSessionId(sessionId);
        this.agentId = agentId;
        this.correlationId = correlationId;
    }

    @Override
    public void emit(EventType type, Map<String, ?> payload) {
        store.append(sessionId, ExpectedVersion.ANY, List.of(event(type, payload)));
    }

    /** One append (one durable wait) for all of them. */
    @Override
    public void emitAll(List<Emitted> events) {
        if (events.isEmpty()) return;
        var batch = new java.util.ArrayList<Event>(events.size());
        for (Emitted e : events) batch.add(event(e.type(), e.payload()));
        store.append(sessionId, ExpectedVersion.ANY, batch);
    }

    private Event event(EventType type, Map<String, ?> payload) {
        return Event.of(type, sessionId, agentId, correlationId, payload);
    }
}
