package io.sigil.health;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Ordered from best to worst. */
public enum HealthStatus {
    HEALTHY, DEGRADED, UNHEALTHY;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }

    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
