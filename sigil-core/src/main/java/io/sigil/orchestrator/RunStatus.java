package io.sigil.orchestrator;

import java.util.Locale;

/**
 * How a request ended (sigil-design.md section 1): {@code partial} has errors and some output, {@code failed}
 * errors and no output.
 */
public enum RunStatus {
    SUCCESS, PARTIAL, FAILED, TIMEOUT, CANCELLED;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }
}
