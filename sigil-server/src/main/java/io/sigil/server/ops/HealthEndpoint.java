package io.sigil.server.ops;

import io.javalin.http.Context;
import io.sigil.health.HealthCheck;
import io.sigil.health.HealthReport;
import io.sigil.health.HealthStatus;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health}: open, not rate limited, 200 when healthy or degraded and 503 when unhealthy, so a load
 * balancer takes an instance out only when it cannot serve.
 */
public final class HealthEndpoint implements ApiEndpoint {
    private final List<HealthCheck> checks;
    private final String version;
    private final Instant started;
    private final Clock clock;
    /** Checks run at most once per second however often probes arrive; the response is at most that stale. */
    private static final long REUSE_NANOS = 1_000_000_000L;
    private volatile Cached cached;

    private record Cached(HealthReport report, long atNanos) { }

    public HealthEndpoint(List<HealthCheck> checks, String version, Instant started, Clock clock) {
        this.checks = List.copyOf(checks);
        this.version = version;
        this.started = started;
        this.clock = clock;
    }

    /** The response body. */
    public record Health(HealthStatus status, Map<String, HealthCheck.Result> checks, String version, long uptimeSeconds) { }

    private HealthReport report() {
        long now = System.nanoTime();
        Cached c = cached;
        if (c == null || now - c.atNanos() >= REUSE_NANOS) {
            c = new Cached(HealthReport.of(checks), now);
            cached = c;
        }
        return c.report();
    }

    @Override
    public Route route() {
        return Route.get("/health", Route.Access.PUBLIC, "operations",
                "Service health: overall status and each dependency's check (200, or 503 when unhealthy)").notRateLimited();
    }

    @Override
    public void handle(Context ctx) {
        HealthReport report = report();
        long uptime = Math.max(0, clock.instant().getEpochSecond() - started.getEpochSecond());
        // An unhealthy report is still the answer: load balancers and operators read which check failed.
        io.sigil.server.http.Problems.keepBody(ctx);
        ctx.status(report.status() == HealthStatus.UNHEALTHY ? 503 : 200)
                .json(new Health(report.status(), report.checks(), version, uptime));
    }
}
