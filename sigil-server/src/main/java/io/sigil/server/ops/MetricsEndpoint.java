package io.sigil.server.ops;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

/** {@code GET /metrics}: the Prometheus text exposition of every meter (HTTP, JVM and the subsystems'). */
public final class MetricsEndpoint implements ApiEndpoint {
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    private final PrometheusMeterRegistry registry;

    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Route route() {
        return Route.get("/metrics", Route.Access.ADMIN_OR_LOCAL_DEBUG, "operations",
                "Prometheus metrics (admin scope, or debug mode from localhost)").produces("text/plain");
    }

    @Override
    public void handle(Context ctx) {
        ctx.contentType(TEXT_FORMAT).result(registry.scrape());
    }
}
