package io.sigil.events;

/**
 * An event as a store returns it: with its version in its session (1 for the first event, no gaps) and its position
 * in the global order of the store (increasing; the events of one append are contiguous). Both are assigned by the
 * store. Positions may have gaps: deleted sessions leave them in every store, and on PostgreSQL positions come from
 * transaction ids (docs/postgres.md); the file store numbers from 1.
 */
public record RecordedEvent(Event event, long version, long position) {

    public String sessionId() { return event.sessionId(); }

    public String eventType() { return event.eventType(); }
}
