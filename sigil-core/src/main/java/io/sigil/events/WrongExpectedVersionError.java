package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.Map;

/** An append's expected version did not match the session: someone else appended first. */
public class WrongExpectedVersionError extends StateError {
    private final long actual;

    public WrongExpectedVersionError(String sessionId, ExpectedVersion expected, long actual) {
        super("session '" + sessionId + "' is at version " + actual + ", the append expected " + expected,
                "another writer appended first: re-read the session and retry with its current version",
                Map.of("session_id", sessionId, "expected", expected.toString(), "actual", actual), true, null);
        this.actual = actual;
    }

    /** The session's version when the append was refused. */
    public long actual() { return actual; }
}
