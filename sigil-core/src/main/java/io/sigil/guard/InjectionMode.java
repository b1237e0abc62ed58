package io.sigil.guard;

import io.sigil.errors.ConfigError;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the guard does with user input it judges to be an injection ({@code SIGIL_INJECTION_MODE}). */
public enum InjectionMode {
    /** Let it through and report the verdict (logs, events, metrics). */
    FLAG,
    /** Reject it with {@link InjectionBlockedError}. */
    BLOCK,
    /** Let it through with the offending passages replaced by a marker, the rest untouched. */
    SANITIZE;

    /** Parses a settings value ({@code flag}, {@code block}, {@code sanitize}, any case). */
    public static InjectionMode parse(String value) {
        if (value != null) {
            for (InjectionMode m : values()) if (m.name().equalsIgnoreCase(value.strip())) return m;
        }
        throw new ConfigError("Unknown injection mode '" + value + "'",
                "set security.injection_mode (SIGIL_INJECTION_MODE) to one of " + names());
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static String names() {
        return Arrays.stream(values()).map(InjectionMode::wireName).collect(Collectors.joining(", "));
    }
}
