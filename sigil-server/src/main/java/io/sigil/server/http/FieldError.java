package io.sigil.server.http;

/**
 * Thrown by a request record's constructor when one of its fields is invalid, so the problem document names that
 * field ({@code invalid_params[].name}) rather than the whole body.
 */
public final class FieldError extends IllegalArgumentException {
    private final String field;

    public FieldError(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() { return field; }

    /** Requires a non-blank string field. */
    public static String requireText(String field, String value) {
        if (value == null || value.isBlank()) throw new FieldError(field, field + " is required and must not be blank");
        return value;
    }
}
