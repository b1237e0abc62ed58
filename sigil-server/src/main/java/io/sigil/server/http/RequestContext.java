package io.sigil.server.http;

import io.javalin.http.Context;
import io.sigil.auth.Principal;

/** What the pipeline learns about a request, kept as context attributes under fixed names. */
public final class RequestContext {
    static final String REQUEST_ID = "sigil.request_id";
    static final String PRINCIPAL = "sigil.principal";
    static final String ROUTE = "sigil.route";
    static final String SESSION_ID = "sigil.session_id";
    static final String STARTED = "sigil.started_nanos";

    private RequestContext() { }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? "" : id;
    }

    /** The authenticated caller, or null on a public endpoint. */
    public static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** The caller of a WebSocket connection, as authenticated at its handshake. */
    public static Principal principal(io.javalin.websocket.WsContext ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** The caller as sessions and memory see it: its subject, and whether it holds {@code admin}. */
    public static io.sigil.sessions.Caller caller(Context ctx) {
        return caller(principal(ctx));
    }

    /** A principal as a {@link io.sigil.sessions.Caller}; null (no credentials) is refused. */
    public static io.sigil.sessions.Caller caller(Principal p) {
        if (p == null) throw new IllegalStateException("a route that works on owned data must require credentials");
        return new io.sigil.sessions.Caller(p.subject(), p.has(io.sigil.auth.Scope.ADMIN));
    }

    /** Handlers that work on a session call this so the access log line carries its id. */
    public static void sessionId(Context ctx, String sessionId) {
        ctx.attribute(SESSION_ID, sessionId);
    }

    static String sessionId(Context ctx) {
        return ctx.attribute(SESSION_ID);
    }

    /** The matched route's path template, or {@code unmatched}: the bounded "endpoint" label of metrics. */
    public static String routeTemplate(Context ctx) {
        String route = ctx.attribute(ROUTE);
        return route == null ? "unmatched" : route;
    }
}
