package io.sigil.cli;

import io.sigil.errors.ErrorCode;

/** Exit codes of the CLI: scripts branch on them, so they are part of the interface. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    /** Bad usage or configuration. */
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    /** A contract or token budget was not met. */
    public static final int CONTRACT = 4;

    private ExitCodes() { }

    public static int forCode(ErrorCode code) {
        return switch (code) {
            case CONFIG_ERROR, INVALID_INPUT -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case CONTRACT_ERROR, TOKEN_BUDGET_EXCEEDED -> CONTRACT;
            default -> FAILURE;
        };
    }
}
