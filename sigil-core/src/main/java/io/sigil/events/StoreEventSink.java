package io.sigil.events;

import java.util.List;
import java.util.Map;

/**
 * The durable {@link EventSink}: appends each emitted event to the store for one session, stamped with the
 * agent and correlation id it was bound to. The orchestrator creates one per request. An emit returns after
 * the event is on disk; a store failure propagates (a step that cannot be recorded is not silently lost).
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
        Event event = Event.of(type, sessionId, payload).withAgent(agentId).withCorrelation(correlationId);
        store.append(sessionId, ExpectedVersion.ANY, List.of(event));
    }
}
