package io.sigil.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON log lines written inside a recorded span carry its trace_id and span_id; lines outside carry neither. */
class TraceIdsInLogLinesTest {
    final LoggerContext logback = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
    final JsonLineLayout layout = new JsonLineLayout();

    private LoggingEvent event() {
        return new LoggingEvent(getClass().getName(), logback.getLogger("io.sigil.test"), Level.INFO, "a run step", null, null);
    }

    @Test
    void lineInsideASpanCarriesItsIds() throws Exception {
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(
                io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(io.opentelemetry.sdk.trace.export.SpanExporter.composite())).build()) {
            Span span = tracing.get("test").spanBuilder("invoke_agent").startSpan();
            LoggingEvent e;
            try (Scope ignored = span.makeCurrent()) {
                e = event();
                TraceIds.addTo(e); // what BackgroundAppender does on the logging thread
            } finally {
                span.end();
            }
            JsonNode line = new ObjectMapper().readTree(layout.doLayout(e)); // written later, on another thread
            assertThat(line.path("trace_id").asText()).isEqualTo(span.getSpanContext().getTraceId());
            assertThat(line.path("span_id").asText()).isEqualTo(span.getSpanContext().getSpanId());
        }
    }

    @Test
    void lineOutsideATraceHasNoIds() throws Exception {
        JsonNode line = new ObjectMapper().readTree(layout.doLayout(event()));
        assertThat(line.has("trace_id")).isFalse();
        assertThat(line.path("message").asText()).isEqualTo("a run step");
    }
}
