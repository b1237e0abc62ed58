package io.sigil.llm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicException;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageParam;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolChoiceNone;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.LlmError;
import io.sigil.llm.Message;
import io.sigil.llm.OutputSchema;
import io.sigil.llm.ProviderConfig;
import io.sigil.llm.InstanceCache;
import io.sigil.llm.ProviderFailures;
import io.sigil.llm.StopReason;
import io.sigil.llm.StreamListener;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Anthropic Messages API on the official SDK. Structured output is a forced tool whose input schema is the
 * output schema (the tool's input becomes the response text). The system prompt and the tool definitions are
 * marked {@code cache_control: ephemeral}, so repeated calls with the same prefix read it from the prompt cache.
 * The SDK's own retries are off: {@link io.sigil.llm.ResilientChatModel} is the only retry policy.
 */
public final class AnthropicChatModel implements ChatModel {
    public static final String PROVIDER = "anthropic";
    public static final String KEY_VARIABLE = "ANTHROPIC_API_KEY";
    private static final Logger log = LoggerFactory.getLogger(AnthropicChatModel.class);
    private static final CacheControlEphemeral CACHE = CacheControlEphemeral.builder().build();
    /** The API requires max_tokens: sent when neither the request nor the configuration sets it. */
    static final int DEFAULT_MAX_TOKENS = 4096;

    private final AnthropicClient client;
    private final ProviderConfig config;
    private final InstanceCache<ToolSpec, Tool> sdkTools = new InstanceCache<>();
    private final InstanceCache<ToolSpec, Tool> sdkLastTools = new InstanceCache<>();
    private final InstanceCache<OutputSchema, Tool> sdkSchemas = new InstanceCache<>();

    AnthropicChatModel(ProviderConfig config) {
        this.config = config;
        AnthropicOkHttpClient.Builder builder = AnthropicOkHttpClient.builder()
                .maxRetries(0)
                // The resilience layer enforces the per-call timeout; the SDK's is a backstop slightly behind it.
                .timeout(config.timeout().plusSeconds(5));
        // A keyless proxy or local server still gets a placeholder, so the SDK never looks for credentials elsewhere.
        builder.apiKey(config.apiKey() != null ? config.apiKey() : "no-key");
        if (config.baseUrl() != null) builder.baseUrl(config.baseUrl());
        this.client = builder.build();
    }

    /** A AnthropicChatModel configured fluently: {@code .model(...)} is required, the rest defaults as {@link ProviderConfig#builder}. */
    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private final ProviderConfig.Builder config = ProviderConfig.builder();

        private Builder() { }

        public Builder model(String model) { config.model(model); return this; }

        public Builder apiKey(String key) { config.apiKey(key); return this; }

        public Builder baseUrl(String url) { config.baseUrl(url); return this; }

        public Builder temperature(Double t) { config.temperature(t); return this; }

        public Builder maxTokens(Integer tokens) { config.maxTokens(tokens); return this; }

        public Builder timeout(java.time.Duration timeout) { config.timeout(timeout); return this; }

        public AnthropicChatModel build() { return new AnthropicChatModel(config.build()); }
    }

    @Override
    public String provider() { return PROVIDER; }

    @Override
    public ChatResponse chat(ChatRequest request) {
        MessageCreateParams params = params(request);
        long start = System.nanoTime();
        try (HttpResponseFor<com.anthropic.models.messages.Message> raw = client.messages().withRawResponse().create(params)) {
            String requestId = requestId(raw.headers().values("request-id"));
            return response(request, raw.parse(), requestId, Duration.ofNanos(System.nanoTime() - start));
        } catch (AnthropicException e) {
            throw failure(e);
        }
    }

    /** The SDK's own request timeout bounds the call: no thread of its own (see {@link ChatModel#boundsItsOwnCalls}). */
    @Override
    public ChatResponse chat(ChatRequest request, Duration within) {
        if (within.isNegative() || within.isZero()) throw timedOut(within);
        MessageCreateParams params = params(request);
        long start = System.nanoTime();
        try (HttpResponseFor<com.anthropic.models.messages.Message> raw = client.messages().withRawResponse()
                .create(params, RequestOptions.builder().timeout(within).build())) {
            String requestId = requestId(raw.headers().values("request-id"));
            return response(request, raw.parse(), requestId, Duration.ofNanos(System.nanoTime() - start));
        } catch (AnthropicException e) {
            // OkHttp ends a call at its deadline with an InterruptedIOException, which is not a cancellation here.
            if (!Thread.currentThread().isInterrupted() && System.nanoTime() - start >= within.toNanos()
                    && !(e instanceof com.anthropic.errors.AnthropicServiceException)) {
                throw timedOut(within);
            }
            throw failure(e);
        }
    }

    @Override
    public boolean boundsItsOwnCalls() { return true; }

    private static LlmError timedOut(Duration within) {
        return new LlmError(PROVIDER, LlmError.Kind.TIMEOUT, 0, null, null,
                "The " + PROVIDER + " call timed out after " + Math.max(0, within.toMillis()) + " ms",
                "Raise SIGIL_LLM__TIMEOUT (or the contract's timeout_seconds) or ask for a shorter answer.", null);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        MessageCreateParams params = params(request);
        long start = System.nanoTime();
        MessageAccumulator accumulator = MessageAccumulator.create();
        String requestId = null;
        boolean stopped = false;
        try (HttpResponseFor<StreamResponse<RawMessageStreamEvent>> raw =
                     client.messages().withRawResponse().createStreaming(params);
             StreamResponse<RawMessageStreamEvent> events = raw.parse()) {
            requestId = requestId(raw.headers().values("request-id"));
            for (RawMessageStreamEvent event : events) {
                accumulator.accumulate(event);
                stopped |= event.isMessageStop();
                event.contentBlockDelta().ifPresent(d -> {
                    d.delta().text().ifPresent(t -> listener.onText(t.text()));
                    // Structured output arrives as the forced tool's input JSON: it is the response text.
                    if (request.outputSchema() != null) d.delta().inputJson().ifPresent(j -> listener.onText(j.partialJson()));
                });
            }
        } catch (AnthropicException e) {
            throw failure(e);
        } catch (java.io.UncheckedIOException e) {
            // Only the SDK's and the connection's failures are mapped: a listener's own exception propagates as is.
            throw ProviderFailures.transport(PROVIDER, e);
        }
        if (!stopped) throw ProviderFailures.truncated(PROVIDER, requestId);
        ChatResponse response = response(request, accumulator.message(), requestId,
                Duration.ofNanos(System.nanoTime() - start));
        response.toolCalls().forEach(listener::onToolCall);
        listener.onComplete(response);
        return response;
    }

    MessageCreateParams params(ChatRequest request) {
        if (log.isDebugEnabled()) log.debug("anthropic request: system={} messages={}", request.system(), request.messages());
        MessageCreateParams.Builder b = MessageCreateParams.builder()
                .model(request.model() != null ? request.model() : config.defaultModel())
                .maxTokens(request.maxTokens() != null ? request.maxTokens()
                        : config.maxTokens() != null ? config.maxTokens() : DEFAULT_MAX_TOKENS)
                .messages(messages(request.messages()));
        Double temperature = request.temperature() != null ? request.temperature() : config.temperature();
        // This SDK version has no typed temperature (newer models reject it); the API still takes the field.
        if (temperature != null) b.putAdditionalBodyProperty("temperature", JsonValue.from(temperature));
        if (request.system() != null && !request.system().isBlank()) {
            b.systemOfTextBlockParams(List.of(TextBlockParam.builder().text(request.system()).cacheControl(CACHE).build()));
        }
        if (!request.stopSequences().isEmpty()) b.stopSequences(request.stopSequences());
        List<ToolSpec> tools = request.tools();
        for (int i = 0; i < tools.size(); i++) {
            // One cache breakpoint on the last tool caches every tool definition before it.
            boolean last = i == tools.size() - 1 && request.outputSchema() == null;
            b.addTool(last ? sdkLastTools.of(tools.get(i), t -> tool(t, true)) : sdkTools.of(tools.get(i), t -> tool(t, false)));
        }
        if (request.outputSchema() != null) {
            b.addTool(sdkSchemas.of(request.outputSchema(), s -> tool(new ToolSpec(s.name(),
                    "Respond with your answer as this tool's input.", s.schema()), true)));
        }
        if (request.outputSchema() != null) {
            b.toolChoice(ToolChoiceTool.builder().name(request.outputSchema().name()).build());
        } else if (!request.tools().isEmpty()) {
            switch (request.toolChoice()) {
                case ToolChoice.Auto a -> b.toolChoice(ToolChoiceAuto.builder().build());
                case ToolChoice.None n -> b.toolChoice(ToolChoiceNone.builder().build());
                case ToolChoice.Any a -> b.toolChoice(ToolChoiceAny.builder().build());
                case ToolChoice.Specific s -> b.toolChoice(ToolChoiceTool.builder().name(s.name()).build());
            }
        }
        // W3C trace context of the current (chat) span, so the provider's side joins the trace.
        io.sigil.telemetry.Tracing.injectCurrent(b::putAdditionalHeader);
        return b.build();
    }

    /** Converted once per schema instance (see {@link InstanceCache}), not on every call. */
    private static Tool tool(ToolSpec spec, boolean cacheBreakpoint) {
        Tool.Builder t = Tool.builder().name(spec.name())
                .inputSchema(ObjectMappers.jsonMapper().convertValue(spec.inputSchema(), Tool.InputSchema.class));
        if (!spec.description().isEmpty()) t.description(spec.description());
        if (cacheBreakpoint) t.cacheControl(CACHE);
        return t.build();
    }

    /** Sigil's messages in Anthropic's shape: consecutive tool results go into one user turn. */
    private static List<MessageParam> messages(List<Message> messages) {
        List<MessageParam> out = new ArrayList<>();
        List<ContentBlockParam> results = new ArrayList<>();
        for (Message m : messages) {
            if (m instanceof Message.ToolResult r) {
                results.add(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(r.toolCallId()).content(r.content()).isError(r.isError()).build()));
                continue;
            }
            if (!results.isEmpty()) {
                out.add(MessageParam.ofUserOfContentBlockParams(List.copyOf(results)));
                results.clear();
            }
            switch (m) {
                case Message.User u -> out.add(MessageParam.ofUser(u.text()));
                case Message.Assistant a -> {
                    List<ContentBlockParam> blocks = new ArrayList<>();
                    if (!a.text().isEmpty()) blocks.add(ContentBlockParam.ofText(TextBlockParam.of(a.text())));
                    for (ToolCall call : a.toolCalls()) {
                        blocks.add(ContentBlockParam.ofToolUse(ToolUseBlockParam.builder().id(call.id()).name(call.name())
                                .input(ObjectMappers.jsonMapper().convertValue(call.arguments(), ToolUseBlockParam.Input.class))
                                .build()));
                    }
                    out.add(MessageParam.ofAssistantOfContentBlockParams(blocks));
                }
                case Message.ToolResult r -> throw new IllegalStateException("handled above");
            }
        }
        if (!results.isEmpty()) out.add(MessageParam.ofUserOfContentBlockParams(List.copyOf(results)));
        return out;
    }

    private ChatResponse response(ChatRequest request, com.anthropic.models.messages.Message message, String requestId,
                                  Duration latency) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        try {
            for (ContentBlock block : message.content()) {
                block.text().ifPresent(t -> text.append(t.text()));
                block.toolUse().ifPresent(u -> {
                    JsonNode input = u._input().convert(JsonNode.class);
                    if (request.outputSchema() != null && u.name().equals(request.outputSchema().name())) {
                        text.append(input.toString());
                    } else {
                        calls.add(new ToolCall(u.id(), u.name(), input));
                    }
                });
            }
            com.anthropic.models.messages.Usage u = message.usage();
            Usage usage = new Usage(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens().orElse(0L),
                    u.cacheCreationInputTokens().orElse(0L));
            StopReason stop = request.outputSchema() != null && calls.isEmpty() ? StopReason.END_TURN
                    : stopReason(message.stopReason().map(r -> r.asString()).orElse(""));
            if (log.isDebugEnabled()) log.debug("anthropic response {}: {}", requestId, text);
            return new ChatResponse(text.toString(), calls, stop, usage, message.model().asString(), PROVIDER, latency,
                    requestId);
        } catch (AnthropicInvalidDataException e) {
            throw ProviderFailures.malformed(PROVIDER, requestId, e.getMessage(), e);
        }
    }

    static StopReason stopReason(String reason) {
        return switch (reason) {
            case "end_turn", "pause_turn" -> StopReason.END_TURN;
            case "max_tokens" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "refusal" -> StopReason.REFUSAL;
            default -> StopReason.OTHER;
        };
    }

    private static LlmError failure(AnthropicException e) {
        if (e instanceof AnthropicServiceException s && s.statusCode() > 0) {
            Duration retryAfter = ProviderFailures.retryAfter(s.headers().values("retry-after"),
                    s.headers().values("retry-after-ms"));
            return ProviderFailures.http(PROVIDER, s.statusCode(), s.requestId().orElse(null), retryAfter,
                    s.apiMessage().orElse(null), KEY_VARIABLE);
        }
        return ProviderFailures.transport(PROVIDER, e);
    }

    private static String requestId(List<String> values) { return values.isEmpty() ? null : values.getFirst(); }
}
