package io.sigil.memory.retrieval;

import java.time.Instant;

/** A half-open span of time {@code [from, to)} that a temporal cue points at. */
public record TimeWindow(Instant from, Instant to) {
    public TimeWindow {
        if (!from.isBefore(to)) throw new IllegalArgumentException("empty window " + from + " .. " + to);
    }

    public boolean contains(Instant t) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }
}
