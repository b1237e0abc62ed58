package io.sigil.events;

/**
 * An event as a store returns it: with its version in its session (1 for the first event) and its position in
 * the global order of the store (1 for the first event ever appended). Both are assigned by the store.
 */
public record RecordedEvent(Event event, long version, long position) {

    public String sessionId() { return event.sessionId(); }

    public String eventType() { return event.eventType(); }
}
