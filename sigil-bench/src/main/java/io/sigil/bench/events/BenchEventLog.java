package io.sigil.bench.events;

import io.sigil.events.Event;

import java.util.List;

/** The three designs the append benchmark compares, behind one small interface. */
interface BenchEventLog extends AutoCloseable {

    /** Appends durably: returns only when the events are on disk. */
    void append(String sessionId, List<Event> events);

    @Override
    void close() throws Exception;
}
