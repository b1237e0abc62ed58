package io.sigil.approval;

import io.sigil.errors.InvalidInputError;

import java.util.Arrays;
import java.util.Locale;

/**
 * When a call of a tool needs a human decision before it runs: {@code always}, {@code side_effects} (only when the
 * tool changes the world outside Sigil, the default) or {@code never}.
 */
public enum ApprovalPolicy {
    ALWAYS, SIDE_EFFECTS, NEVER;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    /** True when a call of a tool with (or without) side effects needs approval under this policy. */
    public boolean requires(boolean sideEffects) {
        return switch (this) {
            case ALWAYS -> true;
            case SIDE_EFFECTS -> sideEffects;
            case NEVER -> false;
        };
    }

    /** The policy of a wire name; a clear error naming {@code where} for anything else. */
    public static ApprovalPolicy parse(String value, String where) {
        if (value != null) {
            for (ApprovalPolicy p : values()) if (p.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) return p;
        }
        throw new InvalidInputError(where + ": '" + value + "' is not an approval policy",
                "use one of " + Arrays.stream(values()).map(ApprovalPolicy::wireName).toList());
    }
}
