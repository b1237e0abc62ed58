package io.sigil.server.runs;

import io.sigil.server.http.FieldError;

import java.util.Map;

/**
 * Body of {@code POST /agents/{name}/run}.
 *
 * @param stream true answers with Server-Sent Events as the run goes; false (default) with the final response
 * @param model  overrides the agent's model, e.g. {@code test} (offline) or {@code anthropic:claude-...}
 */
public record RunBody(String message, Map<String, Object> context, String sessionId, Boolean stream, String model) {
    public static final int MAX_MESSAGE_CHARS = 100_000;

    public RunBody {
        FieldError.requireText("message", message);
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new FieldError("message", "message is longer than " + MAX_MESSAGE_CHARS + " characters");
        }
        if (model != null && model.isBlank()) throw new FieldError("model", "model must not be blank when given");
        checkSessionId(sessionId);
    }

    /** A malformed {@code session_id} is the client's mistake (400), never a missing session (404). */
    static void checkSessionId(String sessionId) {
        if (sessionId != null && !io.sigil.server.sessions.SessionIds.valid(sessionId)) {
            throw new FieldError("session_id", io.sigil.server.sessions.SessionIds.RULE);
        }
    }

    public boolean streaming() { return Boolean.TRUE.equals(stream); }
}
