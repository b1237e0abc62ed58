package io.sigil.approval;

import io.sigil.errors.InvalidInputError;

import java.util.Locale;

/** Where an approval stands. */
public enum ApprovalStatus {
    PENDING, APPROVED, DENIED, EXPIRED;

    public String wireName() { return name().toLowerCase(Locale.ROOT); }

    public static ApprovalStatus parse(String value) {
        for (ApprovalStatus s : values()) if (s.wireName().equals(value)) return s;
        throw new InvalidInputError("'" + value + "' is not an approval status",
                "use pending, approved, denied, expired or all");
    }
}
