package io.sigil.contracts;

import io.sigil.llm.Usage;

import java.util.List;

/**
 * One try at producing the output: which prompt asked for it, what the model answered (raw text), the tokens it
 * cost (including tool-call rounds within the attempt), the validation errors and whether it was valid.
 */
public record Attempt(int number, RetryPrompts.Level prompt, String rawOutput, Usage usage,
                      List<ValidationError> errors, boolean valid, int toolCalls) {
    public Attempt {
        errors = List.copyOf(errors);
    }
}
