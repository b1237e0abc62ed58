package io.sigil.server.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.sigil.config.Settings;

/**
 * The process's OpenTelemetry: the no-op when telemetry is off (no SDK class is even loaded, no exporter, no
 * thread; spans cost a context lookup), an SDK exporting over OTLP when it is on ({@link OtlpTelemetry}).
 * Close it on shutdown to flush the spans still batched.
 */
public interface Telemetry extends AutoCloseable {
    OpenTelemetry api();

    @Override
    void close();

    Telemetry OFF = new Telemetry() {
        @Override public OpenTelemetry api() { return OpenTelemetry.noop(); }
        @Override public void close() { }
    };

    static Telemetry from(Settings.Telemetry settings, String serviceVersion) {
        return settings.enabled() ? OtlpTelemetry.open(settings, serviceVersion) : OFF;
    }
}
