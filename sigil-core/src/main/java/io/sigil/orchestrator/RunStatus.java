package io.sigil.orchestrator;

import java.util.Locale;

/**
 * How a request ended (sigil-design.md section 1): {@code partial} has errors and some output, {@code failed}
 * errors and no output; {@code awaiting_approval}: the run paused at a tool call that waits for a human decision
 * (not an error: deciding resumes it).
 */
public enum RunStatus {
    SUCCESS, PARTIAL, FAILED, TIMEOUT, CANCELLED, AWAITING_APPROVAL;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }
}
