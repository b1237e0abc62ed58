package io.sigil.server.http;

import io.javalin.http.Context;
import io.sigil.auth.Principal;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What happens to every request around its handler: request id, security and CORS headers and the body-size
 * check before it; the guard (auth, scope, rate limit) around it; problem documents, the access log line and
 * metrics after it.
 */
public final class RequestPipeline {
    private static final Logger accessLog = LoggerFactory.getLogger("io.sigil.server.access");
    /** Accepted client request ids: short and log-safe. Anything else is replaced by a generated id. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final SecurityHeaders securityHeaders;
    private final Cors cors;
    private final RequestGuard guard;
    private final Problems problems;
    private final HttpMetrics metrics;
    private final long maxBodyBytes;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();

    private final RequestTracing tracing;

    public RequestPipeline(SecurityHeaders securityHeaders, Cors cors, RequestGuard guard, Problems problems,
                           HttpMetrics metrics, long maxBodyBytes) {
        this(securityHeaders, cors, guard, problems, metrics, maxBodyBytes, RequestTracing.OFF);
    }

    public RequestPipeline(SecurityHeaders securityHeaders, Cors cors, RequestGuard guard, Problems problems,
                           HttpMetrics metrics, long maxBodyBytes, RequestTracing tracing) {
        this.tracing = tracing;
        this.securityHeaders = securityHeaders;
        this.cors = cors;
        this.guard = guard;
        this.problems = problems;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Before every request, matched or not. */
    public void before(Context ctx) {
        ctx.attribute(RequestContext.STARTED, System.nanoTime());
        inFlight.incrementAndGet();
        String id = ctx.header("X-Request-Id");
        if (id == null || !REQUEST_ID.matcher(id).matches()) id = newRequestId();
        ctx.attribute(RequestContext.REQUEST_ID, id);
        MDC.put("request_id", id);
        ctx.header("X-Request-Id", id);
        securityHeaders.apply(ctx);
        if (cors.apply(ctx)) {
            ctx.skipRemainingHandlers();
            return;
        }
        // Refused before any byte of the body is read; chunked bodies are cut off by Javalin's own limit.
        if (ctx.req().getContentLengthLong() > maxBodyBytes) {
            throw new io.javalin.http.ContentTooLargeResponse();
        }
    }

    /** Wraps an endpoint's handler with its route's guard. */
    public io.javalin.http.Handler guarded(ApiEndpoint endpoint) {
        Route route = endpoint.route();
        return ctx -> {
            ctx.attribute(RequestContext.ROUTE, route.path());
            tracing.handle(ctx, route.method(), route.path(), c -> {
                guard.check(route, c);
                endpoint.handle(c);
            });
        };
    }

    /** The handshake guard of a WebSocket endpoint: runs before the upgrade, so a refusal is a plain HTTP problem. */
    public io.javalin.http.Handler upgradeGuard(io.sigil.server.SocketEndpoint socket) {
        Route route = socket.route();
        return ctx -> {
            ctx.attribute(RequestContext.ROUTE, route.path());
            guard.checkUpgrade(route, ctx);
        };
    }

    /** After every request: make any error a problem document. */
    public void after(Context ctx) {
        problems.ensureProblem(ctx);
    }

    /** Javalin's request logger: one JSON access log line and the metrics, then the request is done. */
    public void completed(Context ctx, Float ignoredMillis) {
        try {
            Long started = ctx.attribute(RequestContext.STARTED);
            long nanos = started == null ? 0 : System.nanoTime() - started;
            String endpoint = RequestContext.routeTemplate(ctx);
            int status = ctx.statusCode();
            metrics.record(endpoint, ctx.method().name(), status, nanos);
            if (accessLog.isInfoEnabled()) logAccess(ctx, endpoint, status, nanos);
        } finally {
            handled.incrementAndGet();
            inFlight.decrementAndGet();
            MDC.remove("request_id");
        }
    }

    /**
     * The access line: a short message for people ({@code POST /agents/{name}/run 200 3.2 ms}) and the fields as
     * key-value pairs, which the JSON log format writes as fields of the line itself.
     */
    private void logAccess(Context ctx, String endpoint, int status, long nanos) {
        double millis = Math.round(nanos / 1e4) / 100.0;
        var line = accessLog.atInfo()
                .setMessage(ctx.method().name() + " " + endpoint + " " + status + " " + millis + " ms")
                .addKeyValue("type", "access")
                .addKeyValue("request_id", RequestContext.requestId(ctx))
                .addKeyValue("method", ctx.method().name())
                .addKeyValue("path", ctx.path()) // never the query string: it may carry credentials
                .addKeyValue("endpoint", endpoint)
                .addKeyValue("status", status)
                .addKeyValue("latency_ms", millis)
                .addKeyValue("client_ip", ctx.req().getRemoteAddr());
        String session = RequestContext.sessionId(ctx);
        if (session == null && !"unmatched".equals(endpoint)) session = ctx.pathParamMap().get("session_id");
        if (session != null) line = line.addKeyValue("session_id", session);
        Principal p = RequestContext.principal(ctx);
        if (p != null) {
            line = line.addKeyValue("principal", p.subject());
            if (p.keyId() != null) line = line.addKeyValue("api_key_id", p.keyId());
        }
        line.log();
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}: request ids correlate log lines and need no
     * unpredictability, and {@code UUID.randomUUID()}'s shared SecureRandom is a point of contention under load.
     */
    static String newRequestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** Requests started and not yet completed. */
    public long inFlight() { return inFlight.get(); }

    public long handled() { return handled.get(); }
}
