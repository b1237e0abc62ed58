package io.sigil.errors;

import java.util.Map;

/** The event store or session state failed. */
public class StateError extends SigilError {
    public StateError(String message) {
        super(ErrorCode.STATE_ERROR, message);
    }

    public StateError(String message, String hint) {
        super(ErrorCode.STATE_ERROR, message, hint);
    }

    public StateError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.STATE_ERROR, message, hint, context, recoverable, cause);
    }
}
