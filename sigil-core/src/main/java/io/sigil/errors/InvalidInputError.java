package io.sigil.errors;

import java.util.Map;

/** Caller input is malformed. */
public class InvalidInputError extends SigilError {
    public InvalidInputError(String message) {
        super(ErrorCode.INVALID_INPUT, message);
    }

    public InvalidInputError(String message, String hint) {
        super(ErrorCode.INVALID_INPUT, message, hint);
    }

    public InvalidInputError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.INVALID_INPUT, message, hint, context, recoverable, cause);
    }
}
