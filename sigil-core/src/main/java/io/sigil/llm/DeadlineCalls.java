package io.sigil.llm;

import java.time.Duration;

/** The errors of a call cut short: by its deadline, or by an interrupt of its caller. */
final class DeadlineCalls {
    private DeadlineCalls() { }

    static LlmError timedOut(String provider, Duration after) {
        return new LlmError(provider, LlmError.Kind.TIMEOUT, 0, null, null,
                "The " + provider + " call timed out after " + Math.max(0, after.toMillis()) + " ms",
                "Raise SIGIL_LLM__TIMEOUT (or the contract's timeout_seconds) or ask for a shorter answer.", null);
    }

    static LlmError cancelled(String provider, Throwable cause) {
        return new LlmError(provider, LlmError.Kind.CANCELLED, 0, null, null,
                "The " + provider + " call was cancelled", null, cause);
    }
}
