package io.sigil.contracts;

/** A problem found by linting a contract definition: {@code where} is a path such as {@code deliverables[1].rules[0]}. */
public record ContractIssue(Severity severity, String where, String message) {
    public enum Severity { ERROR, WARNING }

    public boolean isError() { return severity == Severity.ERROR; }

    @Override
    public String toString() { return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + where + ": " + message; }
}
