package io.sigil.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Sigil's spans, through the OpenTelemetry API only (the SDK and exporters live in sigil-server). A run's tracer
 * travels in the OpenTelemetry {@link Context} the run makes current ({@link #with}), so the model, tool and
 * contract code below it traces without a tracer in every constructor and without global state. With no tracer in
 * the context (telemetry off, the default) every span is the API's no-op span: nothing is recorded or exported.
 */
public final class Tracing {
    /** Instrumentation scope name of every Sigil span. */
    public static final String SCOPE = "io.sigil";
    private static final ContextKey<Tracer> TRACER = ContextKey.named("sigil-tracer");
    private static final Tracer NOOP = OpenTelemetry.noop().getTracer(SCOPE);

    private Tracing() { }

    /** The context with {@code telemetry}'s tracer for Sigil spans; unchanged when telemetry is the no-op. */
    public static Context with(Context context, OpenTelemetry telemetry) {
        return telemetry == OpenTelemetry.noop() ? context : context.with(TRACER, telemetry.getTracer(SCOPE));
    }

    /** The tracer of the current run, or the no-op tracer. */
    public static Tracer tracer() {
        Tracer t = Context.current().get(TRACER);
        return t == null ? NOOP : t;
    }

    /** Whether spans made now would be recorded (attributes worth computing). */
    public static boolean active() {
        return Context.current().get(TRACER) != null;
    }

    /** A started span of {@code kind}, child of the current span. */
    public static Span start(String name, SpanKind kind) {
        return tracer().spanBuilder(name).setSpanKind(kind).startSpan();
    }

    /**
     * Runs a pipeline stage ({@code route}, {@code recall}, {@code plan}, ...) in an internal span of that name made
     * current, recording a thrown exception as the span's error.
     */
    public static <T> T stage(String name, Supplier<T> work) {
        Span span = tracer().spanBuilder(name).setAttribute(GenAi.SIGIL_STAGE, name).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            fail(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Marks a span failed by {@code e}: status ERROR, {@code error.type} and the exception event. */
    public static void fail(Span span, Throwable e) {
        span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        span.setAttribute(GenAi.ERROR_TYPE, e.getClass().getName());
        span.recordException(e);
    }

    /** Adds the W3C {@code traceparent} (and {@code tracestate}) of the current span to an outgoing call. */
    public static void injectCurrent(BiConsumer<String, String> header) {
        if (!Span.current().getSpanContext().isValid()) return;
        W3CTraceContextPropagator.getInstance().inject(Context.current(), header, (h, k, v) -> h.accept(k, v));
    }
}
