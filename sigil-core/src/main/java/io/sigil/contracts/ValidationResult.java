package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * The outcome of validating one output: valid when there is no error (warnings allowed unless strict).
 * {@code validDeliverables} names the top-level deliverables that passed every check (fallback keeps these);
 * {@code output} is the parsed output, or null when the text held no JSON object.
 */
public record ValidationResult(boolean valid, List<ValidationError> errors, List<ValidationError> warnings,
                               Set<String> validDeliverables, JsonNode output) {
    public ValidationResult {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
        validDeliverables = Set.copyOf(validDeliverables);
    }

    /** Errors then warnings, as one list for display. */
    public List<ValidationError> all() {
        return java.util.stream.Stream.concat(errors.stream(), warnings.stream()).toList();
    }
}
