package io.sigil.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Set;

/**
 * {@code sigil_requests_total{endpoint,method,status}} and {@code sigil_request_latency_seconds{endpoint,method}}
 * (deployment guide 9.2). {@code endpoint} is the route template ({@code /sessions/{session_id}}) or
 * {@code unmatched}, and unknown methods are folded into {@code OTHER}, so a scan of random paths and verbs cannot
 * create unbounded series.
 */
public final class HttpMetrics {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String endpoint, String method, int status, long nanos) {
        String m = METHODS.contains(method) ? method : "OTHER";
        Counter.builder("sigil.requests").description("HTTP requests handled")
                .tags("endpoint", endpoint, "method", m, "status", Integer.toString(status))
                .register(registry).increment();
        Timer.builder("sigil.request.latency").description("HTTP request latency")
                .tags("endpoint", endpoint, "method", m)
                .serviceLevelObjectives(BUCKETS)
                .register(registry).record(Duration.ofNanos(nanos));
    }
}
