package io.sigil.errors;

import java.util.Map;

/** A plan could not be built or executed. */
public class PlanExecutionError extends SigilError {
    public PlanExecutionError(String message) {
        super(ErrorCode.PLAN_EXECUTION_ERROR, message);
    }

    public PlanExecutionError(String message, String hint) {
        super(ErrorCode.PLAN_EXECUTION_ERROR, message, hint);
    }

    public PlanExecutionError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.PLAN_EXECUTION_ERROR, message, hint, context, recoverable, cause);
    }
}
