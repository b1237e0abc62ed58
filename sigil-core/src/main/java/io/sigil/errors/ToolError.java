package io.sigil.errors;

import java.util.Map;

/** A tool call failed. */
public class ToolError extends SigilError {
    public ToolError(String message) {
        super(ErrorCode.TOOL_ERROR, message);
    }

    public ToolError(String message, String hint) {
        super(ErrorCode.TOOL_ERROR, message, hint);
    }

    public ToolError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.TOOL_ERROR, message, hint, context, recoverable, cause);
    }
}
