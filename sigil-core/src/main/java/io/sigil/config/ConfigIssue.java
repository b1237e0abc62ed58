package io.sigil.config;

/**
 * One problem with the configuration: the key (or the name as written when it is unknown), where it came from,
 * the value as shown (secrets masked) and what is wrong or allowed. Errors stop Sigil; warnings are reported.
 */
public record ConfigIssue(Severity severity, String key, ValueSource source, String value, String message) {

    public enum Severity { ERROR, WARNING }

    public static ConfigIssue error(String key, ValueSource source, String value, String message) {
        return new ConfigIssue(Severity.ERROR, key, source, value, message);
    }

    public static ConfigIssue warning(String key, ValueSource source, String value, String message) {
        return new ConfigIssue(Severity.WARNING, key, source, value, message);
    }

    public boolean isError() { return severity == Severity.ERROR; }

    /** {@code llm.temperature = 3 (env SIGIL_LLM__TEMPERATURE): allowed 0..2}. */
    public String describe() {
        var sb = new StringBuilder(key == null ? "configuration" : key);
        if (value != null) sb.append(" = ").append(value.isEmpty() ? "\"\"" : value);
        if (source != null) sb.append(" (").append(source.describe()).append(')');
        return sb.append(": ").append(message).toString();
    }
}
