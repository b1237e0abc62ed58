package io.sigil.server.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.DiskSpaceMetrics;
import io.sigil.config.Settings;
import io.sigil.health.HealthReport;
import io.sigil.health.HealthStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The series the shipped Prometheus alerts need besides request and LLM metrics:
 * <ul>
 *   <li>{@code sigil_health_check_status{check}}: 1 healthy, 0.5 degraded, 0 unhealthy, read from the same cached
 *       report as {@code /health} (so a scrape never runs the checks more than once a second);</li>
 *   <li>{@code disk_free_bytes{path}} and {@code disk_total_bytes{path}} of the state, memory and log directories.</li>
 * </ul>
 */
public final class OperationalMetrics {
    public static final String HEALTH_CHECK_STATUS = "sigil.health.check.status";

    private OperationalMetrics() { }

    public static void bind(MeterRegistry registry, Supplier<HealthReport> health, Settings settings) {
        for (String check : health.get().checks().keySet()) {
            Gauge.builder(HEALTH_CHECK_STATUS, health, h -> value(h.get(), check))
                    .description("Health check status: 1 healthy, 0.5 degraded, 0 unhealthy")
                    .tag("check", check).register(registry);
        }
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(settings.state().dataDir().toAbsolutePath().normalize());
        dirs.add(settings.memory().dataDir().toAbsolutePath().normalize());
        if (settings.logging().file() != null) dirs.add(settings.logging().file().toAbsolutePath().normalize().getParent());
        Set<Path> measured = new LinkedHashSet<>();
        for (Path dir : dirs) {
            // The directory may not exist yet (created on first write); its nearest existing parent is on the
            // same file system in every layout Sigil ships.
            Path existing = dir;
            while (existing != null && !Files.isDirectory(existing)) existing = existing.getParent();
            if (existing != null && measured.add(existing)) new DiskSpaceMetrics(existing.toFile()).bindTo(registry);
        }
    }

    private static double value(HealthReport report, String check) {
        var r = report.checks().get(check);
        if (r == null) return 0;
        return r.status() == HealthStatus.HEALTHY ? 1 : r.status() == HealthStatus.DEGRADED ? 0.5 : 0;
    }
}
