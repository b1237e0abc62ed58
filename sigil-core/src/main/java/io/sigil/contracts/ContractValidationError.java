package io.sigil.contracts;

import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;
import io.sigil.llm.Usage;

import java.util.List;
import java.util.Map;

/**
 * The output did not meet the contract after the allowed attempts ({@code [CONTRACT_ERROR]}). Carries everything
 * needed to understand why: the last raw output, every attempt, the tokens spent and the remaining errors.
 */
public class ContractValidationError extends SigilError {
    private final String contractName;
    private final String rawOutput;
    private final List<Attempt> attempts;
    private final Usage usage;
    private final List<ValidationError> errors;

    public ContractValidationError(String contractName, String message, String hint, String rawOutput,
                                   List<Attempt> attempts, Usage usage, List<ValidationError> errors) {
        super(ErrorCode.CONTRACT_ERROR, message, hint,
                Map.of("contract_name", contractName, "attempts", attempts.size(), "tokens_used", usage.totalTokens(),
                        "error_count", errors.size()),
                false, null);
        this.contractName = contractName;
        this.rawOutput = rawOutput;
        this.attempts = List.copyOf(attempts);
        this.usage = usage;
        this.errors = List.copyOf(errors);
    }

    public String contractName() { return contractName; }

    /** The model's text of the last attempt (null when no attempt completed). */
    public String rawOutput() { return rawOutput; }

    public List<Attempt> attempts() { return attempts; }

    public Usage usage() { return usage; }

    public List<ValidationError> errors() { return errors; }
}
