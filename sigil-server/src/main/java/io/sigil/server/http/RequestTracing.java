package io.sigil.server.http;

import io.javalin.http.Context;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.sigil.telemetry.Tracing;


/**
 * A SERVER span per request, child of the caller's W3C {@code traceparent} when it sends one, current while the
 * endpoint runs (so a run started by it joins the trace). Off: the handler runs as it is.
 */
public final class RequestTracing {
    public static final RequestTracing OFF = new RequestTracing(null);
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
        @Override public Iterable<String> keys(Context ctx) { return ctx.headerMap().keySet(); }
        @Override public String get(Context ctx, String key) { return ctx == null ? null : ctx.header(key); }
    };

    private final Tracer tracer;

    private RequestTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    public static RequestTracing of(OpenTelemetry telemetry) {
        return telemetry == OpenTelemetry.noop() ? OFF : new RequestTracing(telemetry.getTracer(Tracing.SCOPE));
    }

    /** The endpoint's handling of one request, in its span. */
    public void handle(Context ctx, String method, String route, io.javalin.http.Handler handler) throws Exception {
        if (tracer == null) {
            handler.handle(ctx);
            return;
        }
        io.opentelemetry.context.Context parent = W3CTraceContextPropagator.getInstance()
                .extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
        Span span = tracer.spanBuilder(method + " " + route).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method).setAttribute(ROUTE, route).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            handler.handle(ctx);
            int status = ctx.statusCode();
            span.setAttribute(STATUS, (long) status);
            if (status >= 500) span.setStatus(StatusCode.ERROR);
        } catch (Exception | Error e) {
            Tracing.fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }
}
