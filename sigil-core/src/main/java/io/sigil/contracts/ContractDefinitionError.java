package io.sigil.contracts;

import io.sigil.errors.InvalidInputError;

import java.util.List;

/**
 * A contract definition that cannot be read: every problem with its path ({@code deliverables[1].type}), so an API
 * can name the invalid fields and a person can read the message.
 */
public final class ContractDefinitionError extends InvalidInputError {
    private final List<ContractIssue> problems;

    public ContractDefinitionError(String message, String hint, List<ContractIssue> problems) {
        super(message, hint);
        this.problems = List.copyOf(problems);
    }

    /** Each problem's path ({@link ContractIssue#where()}) and message; all are errors. */
    public List<ContractIssue> problems() { return problems; }
}
