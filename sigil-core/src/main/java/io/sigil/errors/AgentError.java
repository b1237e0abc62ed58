package io.sigil.errors;

import java.util.Map;

/** An agent definition or agent run failed. */
public class AgentError extends SigilError {
    public AgentError(String message) {
        super(ErrorCode.AGENT_ERROR, message);
    }

    public AgentError(String message, String hint) {
        super(ErrorCode.AGENT_ERROR, message, hint);
    }

    public AgentError(String message, String hint, Map<String, ?> context, boolean recoverable, Throwable cause) {
        super(ErrorCode.AGENT_ERROR, message, hint, context, recoverable, cause);
    }
}
