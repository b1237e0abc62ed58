package io.sigil.errors;

import java.util.Map;

/** A reasoning strategy failed. */
public class ReasoningError extends SigilError {
    public ReasoningError(String message) {
        super(ErrorCode.REASONING_ERROR, message);
    }

    public ReasoningError(String message, String hint) {
        super(ErrorCode.REASONING_ERROR, message, hint);
    }

    public ReasoningError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.REASONING_ERROR, message, hint, context, recoverable, cause);
    }
}
