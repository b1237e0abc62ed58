package io.sigil.approval;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The deployment's approval settings: per-tool policy overrides ({@code SIGIL_TOOL_APPROVAL}) and how long a held
 * call waits for a decision before it expires and its run ends ({@code SIGIL_APPROVAL_EXPIRY}, 24 hours by default).
 */
public record ApprovalSettings(Map<String, ApprovalPolicy> tools, Duration expiry) {
    public static final Duration DEFAULT_EXPIRY = Duration.ofHours(24);
    public static final ApprovalSettings DEFAULTS = new ApprovalSettings(Map.of(), DEFAULT_EXPIRY);

    public ApprovalSettings {
        tools = tools == null ? Map.of() : Map.copyOf(tools);
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.isNegative() || expiry.isZero()) throw new IllegalArgumentException("approval expiry must be positive");
    }

    public ApprovalRules rules() { return ApprovalRules.of(tools); }
}
