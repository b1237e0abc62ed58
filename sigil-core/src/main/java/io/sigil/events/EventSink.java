package io.sigil.events;

import java.util.List;
import java.util.Map;

/**
 * Where a subsystem reports what it did, already bound to a session, agent and correlation id by whoever
 * created it (the orchestrator binds one per request; the event store provides the durable implementation).
 * Subsystems depend on this, not on the store, so they stay testable and usable without persistence.
 */
@FunctionalInterface
public interface EventSink {

    void emit(EventType type, Map<String, ?> payload);

    /** One event to emit with others ({@link #emitAll}). */
    record Emitted(EventType type, Map<String, ?> payload) { }

    /**
     * Emits several events in order. Sinks that can record them together (one durable append) override this;
     * all of them are recorded or, if it throws, possibly none.
     */
    default void emitAll(List<Emitted> events) {
        for (Emitted e : events) emit(e.type(), e.payload());
    }

    /** Discards everything: for library use without sessions. */
    EventSink NONE = (type, payload) -> { };
}
