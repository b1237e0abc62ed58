package io.sigil.server.ops;

import io.javalin.http.Context;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

import java.util.Map;

/**
 * {@code GET /health/live}: the process is up and serving HTTP. It checks nothing else on purpose: a liveness probe
 * that failed on a dependency outage would make Kubernetes restart every pod while the database is down, which
 * fixes nothing; dependencies belong to {@code /health/ready}.
 */
public final class LivenessEndpoint implements ApiEndpoint {
    private static final Map<String, String> LIVE = Map.of("status", "live");

    @Override
    public Route route() {
        return Route.get("/health/live", Route.Access.PUBLIC, "operations",
                "Liveness: 200 while the process serves HTTP (no dependency is checked)").notRateLimited();
    }

    @Override
    public void handle(Context ctx) {
        ctx.json(LIVE);
    }
}
