package io.sigil.server.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.sigil.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry SDK with a batch span processor and an OTLP exporter: HTTP/protobuf (POST {endpoint}/v1/traces,
 * default http://localhost:4318) or gRPC (default http://localhost:4317). Sampling: parent-based, new traces at
 * {@code telemetry.sample_rate}. Not registered globally: the server hands it to what it builds.
 */
final class OtlpTelemetry implements Telemetry {
    private static final Logger log = LoggerFactory.getLogger(OtlpTelemetry.class);
    private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

    private final OpenTelemetrySdk sdk;

    private OtlpTelemetry(OpenTelemetrySdk sdk) {
        this.sdk = sdk;
    }

    static OtlpTelemetry open(Settings.Telemetry settings, String serviceVersion) {
        SpanExporter exporter = exporter(settings);
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), "sigil-api",
                AttributeKey.stringKey("service.version"), serviceVersion)));
        SdkTracerProvider tracing = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(settings.sampleRate())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(tracing)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        log.info("Tracing on: OTLP {} to {}, sampling {} of new traces", settings.protocol(),
                settings.endpoint() == null ? "the default endpoint" : settings.endpoint(), settings.sampleRate());
        return new OtlpTelemetry(sdk);
    }

    private static SpanExporter exporter(Settings.Telemetry settings) {
        String endpoint = settings.endpoint();
        if (Settings.Telemetry.GRPC.equals(settings.protocol())) {
            var b = OtlpGrpcSpanExporter.builder().setTimeout(EXPORT_TIMEOUT);
            if (endpoint != null) b.setEndpoint(endpoint);
            return b.build();
        }
        var b = OtlpHttpSpanExporter.builder().setTimeout(EXPORT_TIMEOUT);
        if (endpoint != null) b.setEndpoint(tracesUrl(endpoint));
        return b.build();
    }

    /** The collector's base URL gets the signal path; a URL that already names a path is used as it is. */
    static String tracesUrl(String endpoint) {
        String path = URI.create(endpoint).getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) return endpoint;
        return endpoint.replaceAll("/+$", "") + "/v1/traces";
    }

    @Override
    public OpenTelemetry api() { return sdk; }

    @Override
    public void close() {
        var result = sdk.getSdkTracerProvider().shutdown().join(EXPORT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!result.isSuccess()) log.warn("Tracing: some spans could not be exported before shutdown");
    }
}
