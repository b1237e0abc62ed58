package io.sigil.health;

import java.util.List;

/** The result of the health checks: the overall status (the worst check) and every check. */
public record HealthReport(HealthStatus status, List<Check> checks) {

    /** One checked dependency: {@code name} such as {@code llm} or {@code data.state}, and what was found. */
    public record Check(String name, HealthStatus status, String detail) { }

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public static HealthReport of(List<Check> checks) {
        HealthStatus worst = HealthStatus.HEALTHY;
        for (Check c : checks) worst = worst.worse(c.status());
        return new HealthReport(worst, checks);
    }
}
