package io.sigil.errors;

import java.util.Map;

/** A request could not be routed. */
public class RoutingError extends SigilError {
    public RoutingError(String message) {
        super(ErrorCode.ROUTING_ERROR, message);
    }

    public RoutingError(String message, String hint) {
        super(ErrorCode.ROUTING_ERROR, message, hint);
    }

    public RoutingError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.ROUTING_ERROR, message, hint, context, recoverable, cause);
    }
}
