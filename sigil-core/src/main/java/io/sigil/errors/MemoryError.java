package io.sigil.errors;

import java.util.Map;

/** The memory subsystem failed. */
public class MemoryError extends SigilError {
    public MemoryError(String message) {
        super(ErrorCode.MEMORY_ERROR, message);
    }

    public MemoryError(String message, String hint) {
        super(ErrorCode.MEMORY_ERROR, message, hint);
    }

    public MemoryError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.MEMORY_ERROR, message, hint, context, recoverable, cause);
    }
}
