package io.sigil.llm;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Turns what an SDK threw into an {@link LlmError}, the same way for every provider. Messages are built from the
 * status and the provider's error message only: never from headers or request bodies, so keys and prompts
 * cannot leak into errors.
 */
public final class ProviderFailures {
    private ProviderFailures() { }

    /** An HTTP error response. */
    public static LlmError http(String provider, int status, String requestId, Duration retryAfter, String apiMessage,
                                String keyVariable) {
        LlmError.Kind kind = LlmError.kindOf(status);
        String message = provider + " returned HTTP " + status
                + (apiMessage == null || apiMessage.isBlank() ? "" : ": " + apiMessage)
                + (requestId == null ? "" : " (request id " + requestId + ")");
        String hint = switch (kind) {
            case AUTHENTICATION -> "Check " + keyVariable + " (or use --model test to run offline).";
            case RATE_LIMITED -> "The provider is rate limiting this key; wait, or lower concurrency.";
            case OVERLOADED, SERVER_ERROR -> "The provider is having trouble; retry later.";
            case BAD_REQUEST -> "Check the model name and the request (tools, schema, size).";
            default -> null;
        };
        return new LlmError(provider, kind, status, requestId, retryAfter, message, hint, null);
    }

    /** A failure without an HTTP error response: connection, timeout, truncation, interrupt or unreadable body. */
    public static LlmError transport(String provider, Throwable e) {
        if (Thread.currentThread().isInterrupted() || hasCause(e, InterruptedException.class)
                || hasCause(e, java.nio.channels.ClosedByInterruptException.class) || interruptedIo(e)) {
            return new LlmError(provider, LlmError.Kind.CANCELLED, 0, null, null,
                    "The " + provider + " call was cancelled", null, e);
        }
        if (hasCause(e, SocketTimeoutException.class)) {
            return new LlmError(provider, LlmError.Kind.TIMEOUT, 0, null, null,
                    "The " + provider + " call timed out waiting for the server", "Raise SIGIL_LLM__TIMEOUT.", e);
        }
        if (hasConnectionCause(e)) {
            return new LlmError(provider, LlmError.Kind.CONNECTION, 0, null, null,
                    "Connection to " + provider + " failed: " + rootMessage(e),
                    "Check the network and the base URL (SIGIL_LLM__BASE_URL).", e);
        }
        return malformed(provider, null, rootMessage(e), e);
    }

    /** A response that arrived but cannot be understood (bad JSON, a stream that ended early). */
    public static LlmError malformed(String provider, String requestId, String detail, Throwable cause) {
        return new LlmError(provider, LlmError.Kind.MALFORMED_RESPONSE, 0, requestId, null,
                "Unreadable response from " + provider + ": " + detail
                        + (requestId == null ? "" : " (request id " + requestId + ")"),
                "If the base URL points at a proxy or a local server, check that it speaks the " + provider + " API.",
                cause);
    }

    /** A stream that stopped before its final event: the connection dropped, so retrying may succeed. */
    public static LlmError truncated(String provider, String requestId) {
        return new LlmError(provider, LlmError.Kind.CONNECTION, 0, requestId, null,
                "The " + provider + " stream ended before the response was complete"
                        + (requestId == null ? "" : " (request id " + requestId + ")"), null, null);
    }

    /** Parses {@code retry-after-ms} or {@code retry-after} (seconds; HTTP dates are ignored). */
    public static Duration retryAfter(List<String> retryAfter, List<String> retryAfterMs) {
        try {
            if (!retryAfterMs.isEmpty()) return Duration.ofMillis((long) Double.parseDouble(retryAfterMs.getFirst()));
            if (!retryAfter.isEmpty()) return Duration.ofMillis((long) (Double.parseDouble(retryAfter.getFirst()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** Okio clears the interrupt flag and throws InterruptedIOException("interrupted"). */
    private static boolean interruptedIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.InterruptedIOException && !(t instanceof SocketTimeoutException)
                    && "interrupted".equals(t.getMessage())) return true;
        }
        return false;
    }

    /** An I/O failure of the connection itself; Jackson's parse errors are IOExceptions too, but mean a bad body. */
    private static boolean hasConnectionCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && !(t instanceof com.fasterxml.jackson.core.JacksonException)) return true;
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
