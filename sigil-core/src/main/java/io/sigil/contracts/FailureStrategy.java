package io.sigil.contracts;

import java.util.Locale;

/** What happens when output stays invalid after the retries: raise (retry, fail) or degrade (fallback). */
public enum FailureStrategy {
    RETRY, FALLBACK, FAIL;

    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static FailureStrategy parse(String text) {
        for (FailureStrategy s : values()) if (s.label().equalsIgnoreCase(text.strip())) return s;
        throw new IllegalArgumentException("unknown failure_strategy '" + text + "'; use retry, fallback or fail");
    }
}
