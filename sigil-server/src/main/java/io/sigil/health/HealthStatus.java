package io.sigil.health;

import java.util.Locale;

/** Ordered from best to worst: a report is as healthy as its worst check. */
public enum HealthStatus {
    HEALTHY, DEGRADED, UNHEALTHY;

    public HealthStatus worse(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** {@code healthy}, {@code degraded}, {@code unhealthy}: the guide's spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
