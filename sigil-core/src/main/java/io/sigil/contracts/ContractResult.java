package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.llm.Usage;

import java.time.Duration;
import java.util.List;

/**
 * What a contract execution delivered. {@code outcome} says whether the output is the model's valid output,
 * a partial result completed from the template, or the template itself (which must be reviewed before use).
 * {@code errors} are the remaining validation errors of the attempt the output came from (empty when valid).
 */
public record ContractResult(String contractName, JsonNode output, Outcome outcome, List<Attempt> attempts,
                             Usage usage, List<ValidationError> errors, List<String> warnings, Duration elapsed,
                             int toolCalls) {

    public enum Outcome {
        VALID, PARTIAL, TEMPLATE;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public ContractResult {
        attempts = List.copyOf(attempts);
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean valid() { return outcome == Outcome.VALID; }

    public long tokensUsed() { return usage.totalTokens(); }

    /**
     * The output bound to {@code type}: snake_case output names to camelCase components, as
     * {@link Contract#fromRecord} names them. Check {@link #valid()} first: a template outcome binds too.
     */
    public <T> T as(Class<T> type) { return TypedResults.bind(contractName, output, type); }
}
