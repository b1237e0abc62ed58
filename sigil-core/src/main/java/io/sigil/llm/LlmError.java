package io.sigil.llm;

import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model call failed. Carries the provider, the HTTP status (0 when no response arrived), the provider's request
 * id (for support tickets), whether retrying may succeed, and the server's requested retry delay if any.
 * Never carries an API key or a prompt.
 */
public class LlmError extends SigilError {

    /** What kind of failure: decides retrying and whether the circuit breaker counts it. */
    public enum Kind {
        /** 429: slow down. */
        RATE_LIMITED(true),
        /** 529 or 503: the provider is overloaded. */
        OVERLOADED(true),
        /** Other 5xx. */
        SERVER_ERROR(true),
        /** No response: refused, reset or dropped connection, truncated body or stream. */
        CONNECTION(true),
        /** The per-call timeout passed. */
        TIMEOUT(true),
        /** The circuit breaker for the provider is open: the call was not made. */
        CIRCUIT_OPEN(true),
        /** 401/403: the key is missing, wrong or lacks permission. */
        AUTHENTICATION(false),
        /** Other 4xx: the request itself is wrong (model name, schema, size). */
        BAD_REQUEST(false),
        /** A 200 whose body could not be understood. */
        MALFORMED_RESPONSE(false),
        /** The caller interrupted the call. */
        CANCELLED(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) { this.transientFailure = transientFailure; }

        /** Whether the same call may succeed later. */
        public boolean isTransient() { return transientFailure; }
    }

    private final String provider;
    private final Kind kind;
    private final int status;
    private final String requestId;
    private final Duration retryAfter;

    public LlmError(String provider, Kind kind, int status, String requestId, Duration retryAfter, String message,
                    String hint, Throwable cause) {
        super(ErrorCode.LLM_ERROR, message, hint, context(provider, kind, status, requestId), kind.isTransient(), cause);
        this.provider = provider;
        this.kind = kind;
        this.status = status;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    private static Map<String, Object> context(String provider, Kind kind, int status, String requestId) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("provider", provider);
        context.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        if (status > 0) context.put("status", status);
        if (requestId != null) context.put("request_id", requestId);
        return context;
    }

    /** Classifies an HTTP error status the way every provider uses them. */
    public static Kind kindOf(int status) {
        return switch (status) {
            case 429 -> Kind.RATE_LIMITED;
            case 503, 529 -> Kind.OVERLOADED;
            case 401, 403 -> Kind.AUTHENTICATION;
            case 408 -> Kind.TIMEOUT;
            default -> status >= 500 ? Kind.SERVER_ERROR : Kind.BAD_REQUEST;
        };
    }

    public String provider() { return provider; }

    public Kind kind() { return kind; }

    /** The HTTP status, 0 when no response arrived. */
    public int status() { return status; }

    /** The provider's request id, or null. */
    public String requestId() { return requestId; }

    /** The delay the provider asked for (retry-after), or null. */
    public Duration retryAfter() { return retryAfter; }
}
