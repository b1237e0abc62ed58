package io.sigil.contracts;

import java.util.List;

/** A contract read from a file, with where it came from and the lint issues of its definition. */
public record LoadedContract(Contract contract, ContractSource source, List<ContractIssue> issues) {
    public LoadedContract {
        issues = List.copyOf(issues);
    }

    public boolean hasErrors() { return issues.stream().anyMatch(ContractIssue::isError); }

    /** Issues as {@code file:line: severity: path: message} lines. */
    public List<String> describeIssues() {
        return issues.stream().map(i -> source.locate(i.where()) + ": " + i).toList();
    }
}
