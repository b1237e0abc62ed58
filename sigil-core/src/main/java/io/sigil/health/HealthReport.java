package io.sigil.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of running every check: the overall status and each check's result by name. */
public record HealthReport(HealthStatus status, Map<String, HealthCheck.Result> checks) {

    public HealthReport {
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /**
     * Runs the checks. A check that throws counts as unhealthy (its exception type is reported, not its message,
     * which might hold a path or a secret).
     */
    public static HealthReport of(List<HealthCheck> checks) {
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        HealthStatus overall = HealthStatus.HEALTHY;
        for (HealthCheck check : checks) {
            HealthCheck.Result r;
            try {
                r = check.check();
            } catch (RuntimeException e) {
                r = HealthCheck.Result.unhealthy("check failed: " + e.getClass().getSimpleName());
            }
            results.put(check.name(), r);
            HealthStatus effect = r.status() == HealthStatus.UNHEALTHY && !check.critical() ? HealthStatus.DEGRADED : r.status();
            overall = overall.worst(effect);
        }
        return new HealthReport(overall, results);
    }
}
