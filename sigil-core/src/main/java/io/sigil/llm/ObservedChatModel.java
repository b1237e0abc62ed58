package io.sigil.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.sigil.telemetry.GenAi;
import io.sigil.telemetry.Tracing;
import io.sigil.tokens.TokenEstimator;
import io.sigil.tokens.TokenTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * Accounts for every call of the model it wraps, so providers stay small:
 * <ul>
 *   <li>the token budget: refuses a call whose estimate would cross it, and records real usage after
 *       (see {@link TokenTracker});</li>
 *   <li>metrics {@code sigil_llm_tokens_total{provider,model,type}} (type: input, output, cache_read,
 *       cache_write), {@code sigil_llm_requests_total{provider,model,outcome}} (outcome: success, error) and the
 *       histogram {@code sigil_llm_latency_seconds{provider,model}} (buckets from 100 ms to 5 min, so
 *       {@code histogram_quantile} works on {@code _bucket});</li>
 *   <li>an {@link LlmCallListener}, through which the event store records {@code llm.called};</li>
 *   <li>when the run traces ({@link Tracing}), a GenAI {@code chat} span with the model and token usage.</li>
 * </ul>
 * One instance per run or session when a tracker is given ({@link #withTracker}); the registry and listener are shared.
 */
public final class ObservedChatModel implements ChatModel {
    private static final Logger log = LoggerFactory.getLogger(ObservedChatModel.class);
    public static final String TOKENS_METRIC = "sigil.llm.tokens";
    public static final String LATENCY_METRIC = "sigil.llm.latency";
    public static final String REQUESTS_METRIC = "sigil.llm.requests";
    /** Model calls take from a fraction of a second (a cached short answer) to minutes (long outputs, retries). */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300)};

    private final ChatModel delegate;
    private final MeterRegistry registry;
    private final LlmCallListener listener;
    private final TokenTracker tracker;

    public ObservedChatModel(ChatModel delegate, MeterRegistry registry, LlmCallListener listener) {
        this(delegate, registry, listener, null);
    }

    public ObservedChatModel(ChatModel delegate, MeterRegistry registry, LlmCallListener listener, TokenTracker tracker) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tracker = tracker;
    }

    /** The same model and observers, counting against another run's or session's tracker. */
    public ObservedChatModel withTracker(TokenTracker tracker) {
        return new ObservedChatModel(delegate, registry, listener, tracker);
    }

    @Override
    public String provider() { return delegate.provider(); }

    @Override
    public ChatResponse chat(ChatRequest request) { return observe(request, null); }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener streamListener) {
        return observe(request, Objects.requireNonNull(streamListener, "listener"));
    }

    private ChatResponse observe(ChatRequest request, StreamListener streamListener) {
        if (tracker != null) tracker.checkBefore(TokenEstimator.estimateInput(request));
        // The GenAI "chat" span; current during the call so providers pass its traceparent on.
        Span span = Tracing.active() ? chatSpan(request) : Span.getInvalid();
        try (Scope ignored = span.makeCurrent()) {
            ChatResponse response = call(request, streamListener, span);
            if (request.model() == null && response.model() != null) {
                // Asked for the provider's configured model: the response names it.
                span.updateName(GenAi.CHAT + " " + response.model());
                span.setAttribute(GenAi.REQUEST_MODEL, response.model());
            }
            span.setAttribute(GenAi.RESPONSE_MODEL, response.model());
            span.setAttribute(GenAi.USAGE_INPUT_TOKENS, response.usage().inputTokens());
            span.setAttribute(GenAi.USAGE_OUTPUT_TOKENS, response.usage().outputTokens());
            if (response.stopReason() != null) {
                span.setAttribute(GenAi.RESPONSE_FINISH_REASONS,
                        java.util.List.of(response.stopReason().name().toLowerCase(java.util.Locale.ROOT)));
            }
            return response;
        } finally {
            span.end();
        }
    }

    private Span chatSpan(ChatRequest request) {
        var b = Tracing.tracer().spanBuilder(request.model() == null ? GenAi.CHAT : GenAi.CHAT + " " + request.model())
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(GenAi.OPERATION_NAME, GenAi.CHAT)
                .setAttribute(GenAi.PROVIDER_NAME, provider())
                .setAttribute(GenAi.SYSTEM, provider());
        if (request.model() != null) b.setAttribute(GenAi.REQUEST_MODEL, request.model());
        if (request.maxTokens() != null) b.setAttribute(GenAi.REQUEST_MAX_TOKENS, (long) request.maxTokens());
        if (request.temperature() != null) b.setAttribute(GenAi.REQUEST_TEMPERATURE, request.temperature());
        return b.startSpan();
    }

    private ChatResponse call(ChatRequest request, StreamListener streamListener, Span span) {
        long start = System.nanoTime();
        ChatResponse response;
        try {
            response = streamListener == null ? delegate.chat(request) : delegate.stream(request, streamListener);
        } catch (RuntimeException e) {
            Tracing.fail(span, e);
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            String model = request.model() == null ? "default" : request.model();
            timer(model).record(latency);
            outcome(model, "error");
            notifyListener(new LlmCall(provider(), model, request.metadata(), request, null, Usage.ZERO, latency,
                    streamListener != null, e));
            throw e;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        Usage usage = response.usage();
        timer(response.model()).record(latency);
        outcome(response.model(), "success");
        count(response.model(), "input", usage.inputTokens());
        count(response.model(), "output", usage.outputTokens());
        count(response.model(), "cache_read", usage.cacheReadTokens());
        count(response.model(), "cache_write", usage.cacheWriteTokens());
        notifyListener(new LlmCall(provider(), response.model(), request.metadata(), request, response, usage, latency,
                streamListener != null, null));
        if (tracker != null) tracker.record(usage);
        return response;
    }

    private Timer timer(String model) {
        return Timer.builder(LATENCY_METRIC).description("LLM call latency")
                .tag("provider", provider()).tag("model", model)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    private void outcome(String model, String outcome) {
        Counter.builder(REQUESTS_METRIC).description("LLM calls by outcome")
                .tag("provider", provider()).tag("model", model).tag("outcome", outcome)
                .register(registry).increment();
    }

    private void count(String model, String type, long tokens) {
        if (tokens == 0) return;
        Counter.builder(TOKENS_METRIC).description("Total LLM tokens used")
                .tag("provider", provider()).tag("model", model).tag("type", type)
                .register(registry).increment(tokens);
    }

    private void notifyListener(LlmCall call) {
        try {
            listener.onCall(call);
        } catch (RuntimeException e) {
            log.warn("LLM call listener failed; the call itself succeeded or failed on its own", e);
        }
    }
}
