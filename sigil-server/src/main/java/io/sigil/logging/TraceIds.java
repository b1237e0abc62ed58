package io.sigil.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.event.KeyValuePair;

/**
 * Puts the current span's {@code trace_id} and {@code span_id} on a log event, on the thread that logs it (the
 * span is current there, not on the background writer). Nothing is added outside a recorded trace.
 */
final class TraceIds {
    static final String TRACE_ID = "trace_id";
    static final String SPAN_ID = "span_id";

    private TraceIds() { }

    static void addTo(ILoggingEvent event) {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid() || !(event instanceof LoggingEvent e) || has(e)) return;
        e.addKeyValuePair(new KeyValuePair(TRACE_ID, span.getTraceId()));
        e.addKeyValuePair(new KeyValuePair(SPAN_ID, span.getSpanId()));
    }

    private static boolean has(ILoggingEvent event) {
        var pairs = event.getKeyValuePairs();
        if (pairs == null) return false;
        for (KeyValuePair kv : pairs) {
            if (kv.key.equals(TRACE_ID)) return true;
        }
        return false;
    }
}
