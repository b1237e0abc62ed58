package io.sigil.server.http;

import io.javalin.http.Context;
import io.sigil.auth.AuthenticationFailed;
import io.sigil.auth.Authenticator;
import io.sigil.auth.Principal;
import io.sigil.auth.Scope;
import io.sigil.ratelimit.RateLimiter;
import io.sigil.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Who may call a route and how often. Every 401 has the same body whatever failed (the reason goes to the log,
 * the credential never does); a missing scope is a 403 naming the scope. Each request is charged to exactly one
 * token bucket: the API key's own (with the key's limit) or the client address's (with
 * {@code SIGIL_RATE_LIMIT_PER_MINUTE}); failed authentications are charged to the address, so guessing keys is
 * throttled too.
 */
public final class RequestGuard {
    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);
    static final Problem UNAUTHORIZED = Problem.of(401, "unauthorized", "Unauthorized",
            "Missing or invalid credentials: send 'Authorization: Bearer <JWT or API key>' or 'X-API-Key: <key>'.");

    private final Authenticator authenticator;
    private final RateLimiter limiter;
    private final int defaultLimitPerMinute;
    private final boolean debugMode;
    private final io.sigil.server.net.TrustedProxies proxies;

    public RequestGuard(Authenticator authenticator, RateLimiter limiter, int defaultLimitPerMinute, boolean debugMode) {
        this(authenticator, limiter, defaultLimitPerMinute, debugMode, io.sigil.server.net.TrustedProxies.NONE);
    }

    /** @param proxies the reverse proxies whose X-Forwarded-For names the client (per-address buckets) */
    public RequestGuard(Authenticator authenticator, RateLimiter limiter, int defaultLimitPerMinute, boolean debugMode,
                        io.sigil.server.net.TrustedProxies proxies) {
        this.proxies = proxies;
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.defaultLimitPerMinute = defaultLimitPerMinute;
        this.debugMode = debugMode;
    }

    public void check(Route route, Context ctx) {
        switch (route.access()) {
            case Route.Access.Public p -> {
                if (route.rateLimited()) charge(ctx, ipBucket(ctx), defaultLimitPerMinute);
            }
            case Route.Access.AdminOrLocalDebug a -> {
                if (debugMode && isLoopback(ctx)) {
                    charge(ctx, ipBucket(ctx), defaultLimitPerMinute);
                } else {
                    authorize(ctx, Scope.ADMIN);
                }
            }
            case Route.Access.Scoped s -> authorize(ctx, s.scope());
        }
    }

    /**
     * The guard of a WebSocket handshake. Browsers cannot set headers on a WebSocket, so besides the two headers a
     * JWT may come as the {@code token} query parameter (used only when neither header is present).
     */
    public void checkUpgrade(Route route, Context ctx) {
        if (!(route.access() instanceof Route.Access.Scoped s)) {
            check(route, ctx);
            return;
        }
        String authorization = ctx.header("Authorization");
        String apiKey = ctx.header("X-API-Key");
        String token = ctx.queryParam("token");
        if (authorization == null && apiKey == null && token != null && !token.isEmpty()) authorization = "Bearer " + token;
        authorize(ctx, s.scope(), authorization, apiKey);
    }

    private void authorize(Context ctx, Scope scope) {
        authorize(ctx, scope, ctx.header("Authorization"), ctx.header("X-API-Key"));
    }

    private void authorize(Context ctx, Scope scope, String authorization, String apiKey) {
        Principal principal;
        try {
            principal = authenticator.authenticate(authorization, apiKey);
        } catch (AuthenticationFailed e) {
            log.info("Authentication failed for {} {} from {} (request {}): {} - {}", ctx.method(), ctx.path(), ctx.ip(),
                    RequestContext.requestId(ctx), e.reason(), e.getMessage());
            charge(ctx, ipBucket(ctx), defaultLimitPerMinute);
            throw new ApiProblem(UNAUTHORIZED, Map.of("WWW-Authenticate", "Bearer"));
        }
        ctx.attribute(RequestContext.PRINCIPAL, principal);
        if (principal.keyId() != null) {
            charge(ctx, "key:" + principal.keyId(), principal.rateLimitPerMinute().orElse(defaultLimitPerMinute));
        } else {
            charge(ctx, ipBucket(ctx), defaultLimitPerMinute);
        }
        if (!principal.has(scope)) {
            throw new ApiProblem(Problem.of(403, "forbidden", "Forbidden",
                    "This credential lacks the scope '" + scope.wire() + "' that this endpoint requires."));
        }
    }

    private void charge(Context ctx, String bucket, int limit) {
        RateLimiter.Decision d = limiter.acquire(bucket, limit);
        ctx.header("RateLimit-Limit", Integer.toString(d.limit()));
        ctx.header("RateLimit-Remaining", Integer.toString(d.remaining()));
        ctx.header("RateLimit-Reset", Long.toString(d.resetSeconds()));
        if (!d.allowed()) {
            throw new ApiProblem(Problem.of(429, "rate-limited", "Too many requests",
                    "Rate limit of " + d.limit() + " requests per minute exceeded; retry after " + d.retryAfterSeconds() + " s."),
                    Map.of("Retry-After", Long.toString(d.retryAfterSeconds())));
        }
    }

    /**
     * The client's address: the TCP peer's, or from a trusted proxy the one its X-Forwarded-For names (never from
     * anyone else: any client could set the header to dodge its bucket).
     */
    private String ipBucket(Context ctx) {
        return "ip:" + proxies.client(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For"));
    }

    private static boolean isLoopback(Context ctx) {
        String addr = ctx.req().getRemoteAddr();
        return addr != null && (addr.startsWith("127.") || addr.equals("::1") || addr.equals("0:0:0:0:0:0:0:1")
                || addr.equals("[::1]") || addr.equals("[0:0:0:0:0:0:0:1]"));
    }
}
