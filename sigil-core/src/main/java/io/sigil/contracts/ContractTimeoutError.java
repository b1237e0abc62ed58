package io.sigil.contracts;

import io.sigil.llm.Usage;

import java.util.List;

/** The contract's {@code timeout_seconds} ran out before a valid output was produced (a contract error). */
public final class ContractTimeoutError extends ContractValidationError {
    public ContractTimeoutError(String contractName, double timeoutSeconds, String rawOutput, List<Attempt> attempts,
                                Usage usage, List<ValidationError> errors) {
        super(contractName, "Contract '" + contractName + "' timed out after " + timeoutSeconds + " s ("
                        + attempts.size() + " attempt(s) completed)",
                "Raise constraints.timeout_seconds or simplify the task.", rawOutput, attempts, usage, errors);
    }
}
