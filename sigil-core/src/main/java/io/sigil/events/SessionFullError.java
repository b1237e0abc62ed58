package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.Map;

/** A session reached max_events_per_session. */
public class SessionFullError extends StateError {
    public SessionFullError(String sessionId, long version, int adding, int max) {
        super("session '" + sessionId + "' holds " + version + " events; adding " + adding
                        + " would exceed the limit of " + max + " events per session",
                "start a new session, or raise SIGIL_STATE_MAX_EVENTS_PER_SESSION (state.max_events_per_session)",
                Map.of("session_id", sessionId, "version", version, "max_events_per_session", max), false, null);
    }
}
