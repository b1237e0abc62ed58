package io.sigil.errors;

import java.util.Map;

/** A named resource does not exist. */
public class NotFoundError extends SigilError {
    public NotFoundError(String message) {
        super(ErrorCode.NOT_FOUND, message);
    }

    public NotFoundError(String message, String hint) {
        super(ErrorCode.NOT_FOUND, message, hint);
    }

    public NotFoundError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.NOT_FOUND, message, hint, context, recoverable, cause);
    }
}
