package io.sigil.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.LlmCallListener;
import io.sigil.llm.ObservedChatModel;
import io.sigil.llm.test.TestModel;
import io.sigil.telemetry.Tracing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * What tracing costs per model call (issue 20: "no cost when disabled"), on the offline model so that only Sigil's
 * code is measured. {@code observedTracingOff} is a call through the observing decorator as every run makes it
 * with telemetry off (no tracer in the context); {@code observedTracingOn} the same inside a run's context with an
 * SDK tracer recording a {@code chat} span into a batch processor whose exporter drops it; {@code rawModel} is the
 * baseline, the model alone. off minus raw is the decorator (metrics, listener, the context lookup); on minus off
 * is what recording a span costs.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TracingOverheadBenchmark {
    private ChatModel raw;
    private ChatModel observed;
    private ChatRequest request;
    private OpenTelemetrySdk sdk;
    private Context traced;

    @Setup(Level.Trial)
    public void start() {
        raw = TestModel.offline();
        observed = new ObservedChatModel(raw, new SimpleMeterRegistry(), LlmCallListener.NONE);
        request = ChatRequest.of("Summarise the release notes in one sentence.");
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite()).build()).build()).build();
        traced = Tracing.with(Context.root(), sdk);
    }

    @TearDown(Level.Trial)
    public void stop() {
        sdk.close();
    }

    @Benchmark
    public ChatResponse rawModel() {
        return raw.chat(request);
    }

    @Benchmark
    public ChatResponse observedTracingOff() {
        return observed.chat(request);
    }

    @Benchmark
    public ChatResponse observedTracingOn() {
        try (Scope ignored = traced.makeCurrent()) {
            return observed.chat(request);
        }
    }
}
