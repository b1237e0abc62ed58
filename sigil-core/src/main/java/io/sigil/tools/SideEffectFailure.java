package io.sigil.tools;

import io.sigil.errors.ToolError;

/**
 * A tool with side effects failed inside a plan step. The step is not retried: the call may have taken effect
 * before it failed (an SMS sent, an event created), and doing it again could do it twice.
 */
public final class SideEffectFailure extends ToolError {
    public SideEffectFailure(String tool, String message) {
        super("Tool " + tool + " failed: " + message + " (not retried: the tool has side effects)",
                "check whether it took effect before running it again");
    }
}
