package io.sigil.events;

/** Where an append landed: the versions in the session and the global positions of its first and last event. */
public record AppendResult(String sessionId, long firstVersion, long lastVersion, long firstPosition,
                           long lastPosition) {

    /** The session's version after this append. */
    public long nextExpectedVersion() { return lastVersion; }
}
