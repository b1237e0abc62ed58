package io.sigil.errors;

import java.util.Map;

/** Prompt evolution failed. */
public class EvolutionError extends SigilError {
    public EvolutionError(String message) {
        super(ErrorCode.EVOLUTION_ERROR, message);
    }

    public EvolutionError(String message, String hint) {
        super(ErrorCode.EVOLUTION_ERROR, message, hint);
    }

    public EvolutionError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.EVOLUTION_ERROR, message, hint, context, recoverable, cause);
    }
}
