package io.sigil.server.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;

/** {@code GET /openapi.json}: the document built from the registered routes (this one included). */
public final class OpenApiEndpoint implements ApiEndpoint {
    public static final Route ROUTE = Route.get("/openapi.json", Route.Access.PUBLIC, "operations",
            "This OpenAPI 3.1 document");
    private final String json;

    public OpenApiEndpoint(ObjectNode document) {
        this.json = document.toString();
    }

    @Override
    public Route route() { return ROUTE; }

    @Override
    public void handle(Context ctx) {
        ctx.contentType("application/json").result(json);
    }
}
