package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.Map;

/** Appending to a session after its session.ended event, without the admin override. */
public class SessionEndedError extends StateError {
    public SessionEndedError(String sessionId) {
        super("session '" + sessionId + "' has ended; it accepts no more events",
                "start a new session (an administrator can append with the admin override)",
                Map.of("session_id", sessionId), false, null);
    }
}
