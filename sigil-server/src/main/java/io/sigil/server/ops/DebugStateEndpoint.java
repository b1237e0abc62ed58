package io.sigil.server.ops;

import io.javalin.http.Context;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /debug/state}: a snapshot of the running server (uptime, requests in flight, routes, rate-limit
 * buckets, JVM memory and threads). Subsystems that merge later add their own entries to the supplier.
 */
public final class DebugStateEndpoint implements ApiEndpoint {
    private final Supplier<Map<String, Object>> state;

    public DebugStateEndpoint(Supplier<Map<String, Object>> state) {
        this.state = state;
    }

    @Override
    public Route route() {
        return Route.get("/debug/state", Route.Access.ADMIN_OR_LOCAL_DEBUG, "operations",
                "Runtime state of the server process (admin scope, or debug mode from localhost)");
    }

    @Override
    public void handle(Context ctx) {
        ctx.json(state.get());
    }
}
