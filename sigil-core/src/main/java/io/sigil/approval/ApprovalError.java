package io.sigil.approval;

import io.sigil.errors.ErrorCode;
import io.sigil.errors.SigilError;

/** A decision that cannot be taken: the call was decided already, or its approval expired (the run has ended). */
public final class ApprovalError extends SigilError {
    public enum Kind { DECIDED, EXPIRED }

    private final Kind kind;

    public ApprovalError(Kind kind, String message, String hint) {
        super(ErrorCode.STATE_ERROR, message, hint);
        this.kind = kind;
    }

    public Kind kind() { return kind; }
}
