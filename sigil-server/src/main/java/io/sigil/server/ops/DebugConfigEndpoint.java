package io.sigil.server.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sigil.config.Settings;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

/** {@code GET /debug/config}: the effective settings, secrets masked. */
public final class DebugConfigEndpoint implements ApiEndpoint {
    private final Settings settings;
    private final ObjectMapper mapper;

    public DebugConfigEndpoint(Settings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    @Override
    public Route route() {
        return Route.get("/debug/config", Route.Access.ADMIN_OR_LOCAL_DEBUG, "operations",
                "Effective settings with secrets masked (admin scope, or debug mode from localhost)");
    }

    @Override
    public void handle(Context ctx) {
        ctx.json(SettingsView.masked(settings, mapper));
    }
}
