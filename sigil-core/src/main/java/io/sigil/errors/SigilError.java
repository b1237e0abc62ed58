package io.sigil.errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Base of every error Sigil reports to a user. It carries a stable {@link ErrorCode}, a message written for
 * the person reading it, optional hint on how to fix it, structured context (never secrets) and whether
 * retrying the same operation may succeed.
 */
public class SigilError extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> context;
    private final boolean recoverable;
    private final String hint;

    public SigilError(ErrorCode code, String message) {
        this(code, message, null, Map.of(), false, null);
    }

    public SigilError(ErrorCode code, String message, String hint) {
        this(code, message, hint, Map.of(), false, null);
    }

    public SigilError(ErrorCode code, String message, String hint, Map<String, ?> context, boolean recoverable,
                      Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.context = Map.copyOf(withoutNulls(context));
        this.recoverable = recoverable;
        this.hint = hint;
    }

    private static Map<String, Object> withoutNulls(Map<String, ?> context) {
        var copy = new LinkedHashMap<String, Object>();
        if (context != null) context.forEach((k, v) -> { if (k != null && v != null) copy.put(k, v); });
        return copy;
    }

    public ErrorCode code() { return code; }

    public Map<String, Object> context() { return context; }

    public boolean recoverable() { return recoverable; }

    /** How the user can fix it, or null when there is nothing useful to add. */
    public String hint() { return hint; }

    /** The one-line form users see: {@code [CODE] message}. */
    public String display() { return "[" + code + "] " + getMessage(); }

    @Override
    public String toString() { return display(); }
}
