package io.sigil.server.http;

import io.javalin.http.Context;

import java.util.List;
import java.util.Set;

/**
 * CORS for the origins in {@code SIGIL_API_CORS_ORIGINS} (exact match; {@code *} allows any origin but then never
 * with credentials). Preflight requests are answered here with 204; a request from an origin not on the list gets
 * no CORS headers, so the browser blocks it. No origins configured means no CORS at all.
 */
public final class Cors {
    static final String ALLOWED_HEADERS = "Authorization, Content-Type, X-API-Key, X-Request-Id";
    static final String EXPOSED_HEADERS = "X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";
    private final Set<String> origins;
    private final boolean any;

    public Cors(List<String> origins) {
        this.origins = Set.copyOf(origins == null ? List.of() : origins);
        this.any = this.origins.contains("*");
    }

    /** @return true when the request was a preflight and has been answered */
    public boolean apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) return false;
        ctx.header("Vary", "Origin");
        if (!any && !origins.contains(origin)) return false;
        ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) ctx.header("Access-Control-Allow-Credentials", "true");
        if ("OPTIONS".equals(ctx.method().name()) && ctx.header("Access-Control-Request-Method") != null) {
            ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE");
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", "600");
            ctx.status(204);
            return true;
        }
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        return false;
    }
}
