package io.sigil.server.ops;

import io.javalin.http.Context;
import io.sigil.health.HealthReport;
import io.sigil.health.HealthStatus;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health/ready}: 200 when this instance should get traffic, 503 otherwise. The store is opened (and, on
 * PostgreSQL, migrated) before the server starts listening, so a server that answers has its store; readiness then
 * requires that no critical check (the state directory, or the database when state lives there) is unhealthy and
 * that shutdown has not begun ({@link Readiness}).
 */
public final class ReadinessEndpoint implements ApiEndpoint {
    private final Supplier<HealthReport> health;
    private final Readiness readiness;

    public ReadinessEndpoint(Supplier<HealthReport> health, Readiness readiness) {
        this.health = health;
        this.readiness = readiness;
    }

    /** The body: {@code ready} or {@code not_ready}, and why not. */
    public record Ready(String status, List<String> reasons) { }

    @Override
    public Route route() {
        return Route.get("/health/ready", Route.Access.PUBLIC, "operations",
                "Readiness: 200 when the store is open and healthy and the server is not shutting down, else 503")
                .notRateLimited();
    }

    @Override
    public void handle(Context ctx) {
        List<String> reasons = new java.util.ArrayList<>();
        if (readiness.draining()) reasons.add("shutting down: finishing the requests in flight");
        HealthReport report = health.get();
        if (report.status() == HealthStatus.UNHEALTHY) {
            for (Map.Entry<String, io.sigil.health.HealthCheck.Result> e : report.checks().entrySet()) {
                if (e.getValue().status() == HealthStatus.UNHEALTHY) {
                    reasons.add(e.getKey() + ": " + e.getValue().detail());
                }
            }
        }
        boolean ready = reasons.isEmpty();
        ctx.status(ready ? 200 : 503).json(new Ready(ready ? "ready" : "not_ready", reasons));
    }
}
