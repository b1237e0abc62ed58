package io.sigil.contracts;

/**
 * One problem with an output: the field path ({@code bant_assessment.budget}, {@code sources[2]}), one of the
 * fixed {@link Reasons}, what was expected and what was found, the severity, and how to fix it. Warnings become
 * failures in strict mode.
 */
public record ValidationError(String field, String reason, String expected, String actual, Severity severity,
                              String suggestion) {
    public enum Severity { ERROR, WARNING }

    public boolean isError() { return severity == Severity.ERROR; }

    ValidationError asError() {
        return severity == Severity.ERROR ? this : new ValidationError(field, reason, expected, actual, Severity.ERROR, suggestion);
    }

    /** One line for people: {@code bant_assessment.budget: Type mismatch (expected str, got int 5)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(field).append(": ").append(reason);
        if (expected != null || actual != null) {
            sb.append(" (expected ").append(expected == null ? "-" : expected)
                    .append(", got ").append(actual == null ? "-" : actual).append(')');
        }
        return sb.toString();
    }

    /** The fixed reasons of sigil-design.md section 8, plus the ones Sigil adds for enums, schemas and parsing. */
    public static final class Reasons {
        public static final String MISSING = "Required deliverable is missing";
        public static final String TYPE_MISMATCH = "Type mismatch";
        public static final String RULE_FAILED = "Validation rule failed: ";
        public static final String TOKEN_LIMIT = "Token limit exceeded";
        public static final String NOT_ALLOWED = "Value not in allowed values";
        public static final String SCHEMA = "JSON Schema violation";
        public static final String NOT_JSON = "Output is not a JSON object";
        public static final String UNEXPECTED = "Unexpected field";
        public static final String COERCED = "Number coerced to int";

        private Reasons() { }
    }
}
