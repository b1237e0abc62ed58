package io.sigil.llm.openai;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.RequestOptions;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.LlmError;
import io.sigil.llm.OutputSchema;
import io.sigil.llm.InstanceCache;
import io.sigil.llm.Message;
import io.sigil.llm.ProviderConfig;
import io.sigil.llm.ProviderFailures;
import io.sigil.llm.StopReason;
import io.sigil.llm.StreamListener;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.llm.Usage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI chat completions on the official SDK, and through its base URL any compatible server: Ollama
 * ({@code ollama:}), vLLM, LM Studio, llama.cpp. Structured output uses {@code response_format: json_schema}.
 * The SDK's own retries are off: {@link io.sigil.llm.ResilientChatModel} is the only retry policy.
 *
 * <p>{@code provider} is the name used in metrics and errors ({@code openai} or {@code ollama}); {@code legacyMaxTokens}
 * sends {@code max_tokens} instead of {@code max_completion_tokens}, which local servers understand more widely.
 */
public final class OpenAiChatModel implements ChatModel {
    public static final String PROVIDER = "openai";
    public static final String KEY_VARIABLE = "OPENAI_API_KEY";
    /** Local servers ignore the key, but the SDK insists on one. */
    static final String NO_KEY = "no-key";
    private static final Logger log = LoggerFactory.getLogger(OpenAiChatModel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenAIClient client;
    private final ProviderConfig config;
    private final String provider;
    private final boolean legacyMaxTokens;
    /** The SDK's form of each schema, built on its first use: contracts and tools keep their schema instances. */
    private final InstanceCache<OutputSchema, ResponseFormatJsonSchema> sdkFormats = new InstanceCache<>();
    private final InstanceCache<ToolSpec, ChatCompletionFunctionTool> sdkTools = new InstanceCache<>();
    private final CompletionReader reader = new CompletionReader(JSON.getFactory());

    OpenAiChatModel(ProviderConfig config, String provider, boolean legacyMaxTokens) {
        this.config = config;
        this.provider = provider;
        this.legacyMaxTokens = legacyMaxTokens;
        OpenAIOkHttpClient.Builder builder = OpenAIOkHttpClient.builder()
                .maxRetries(0)
                .timeout(config.timeout().plusSeconds(5))
                .apiKey(config.apiKey() != null ? config.apiKey() : NO_KEY);
        if (config.baseUrl() != null) builder.baseUrl(config.baseUrl());
        this.client = builder.build();
    }

    /** A OpenAiChatModel configured fluently: {@code .model(...)} is required, the rest defaults as {@link ProviderConfig#builder}. */
    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private final ProviderConfig.Builder config = ProviderConfig.builder();
        private String provider = PROVIDER;
        private boolean legacyMaxTokens;

        private Builder() { }

        public Builder model(String model) { config.model(model); return this; }

        public Builder apiKey(String key) { config.apiKey(key); return this; }

        public Builder baseUrl(String url) { config.baseUrl(url); return this; }

        public Builder temperature(Double t) { config.temperature(t); return this; }

        public Builder maxTokens(Integer tokens) { config.maxTokens(tokens); return this; }

        public Builder timeout(java.time.Duration timeout) { config.timeout(timeout); return this; }

        /** The provider name models report (metrics, breakers), e.g. {@code vllm}; default {@code openai}. */
        public Builder provider(String name) { this.provider = name; return this; }

        /** Send {@code max_tokens} instead of {@code max_completion_tokens} (compatible servers understand it more widely). */
        public Builder legacyMaxTokens(boolean legacy) { this.legacyMaxTokens = legacy; return this; }

        public OpenAiChatModel build() { return new OpenAiChatModel(config.build(), provider, legacyMaxTokens); }
    }

    @Override
    public String provider() { return provider; }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ChatCompletionCreateParams params = params(request, false);
        long start = System.nanoTime();
        try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params)) {
            return response(request, raw, start);
        } catch (OpenAIException e) {
            throw failure(e);
        }
    }

    /** The SDK's own request timeout bounds the call: no thread of its own (see {@link ChatModel#boundsItsOwnCalls}). */
    @Override
    public ChatResponse chat(ChatRequest request, Duration within) {
        if (within.isNegative() || within.isZero()) throw timedOut(within);
        ChatCompletionCreateParams params = params(request, false);
        long start = System.nanoTime();
        try (HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse()
                .create(params, RequestOptions.builder().timeout(within).build())) {
            return response(request, raw, start);
        } catch (OpenAIException e) {
            // OkHttp ends a call at its deadline with an InterruptedIOException, which is not a cancellation here.
            if (!Thread.currentThread().isInterrupted() && System.nanoTime() - start >= within.toNanos()
                    && !(e instanceof OpenAIServiceException)) {
                throw timedOut(within);
            }
            throw failure(e);
        }
    }

    @Override
    public boolean boundsItsOwnCalls() { return true; }

    private LlmError timedOut(Duration within) {
        return new LlmError(provider, LlmError.Kind.TIMEOUT, 0, null, null,
                "The " + provider + " call timed out after " + Math.max(0, within.toMillis()) + " ms",
                "Raise SIGIL_LLM__TIMEOUT (or the contract's timeout_seconds) or ask for a shorter answer.", null);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        ChatCompletionCreateParams params = params(request, true);
        long start = System.nanoTime();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        String requestId = null;
        boolean finished = false;
        try (HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
                     client.chat().completions().withRawResponse().createStreaming(params);
             StreamResponse<ChatCompletionChunk> chunks = raw.parse()) {
            requestId = first(raw.headers().values("x-request-id"));
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) chunks.stream()::iterator) {
                accumulator.accumulate(chunk);
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text -> { if (!text.isEmpty()) listener.onText(text); });
                    finished |= choice.finishReason().isPresent();
                }
            }
        } catch (OpenAIException e) {
            throw failure(e);
        } catch (java.io.UncheckedIOException e) {
            // Only the SDK's and the connection's failures are mapped: a listener's own exception propagates as is.
            throw ProviderFailures.transport(provider, e);
        }
        if (!finished) throw ProviderFailures.truncated(provider, requestId);
        ChatResponse response;
        try {
            response = response(request, accumulator.chatCompletion(), requestId,
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IllegalStateException e) {
            throw ProviderFailures.malformed(provider, requestId, e.getMessage(), e);
        }
        response.toolCalls().forEach(listener::onToolCall);
        listener.onComplete(response);
        return response;
    }

    ChatCompletionCreateParams params(ChatRequest request, boolean stream) {
        if (log.isDebugEnabled()) log.debug("{} request: system={} messages={}", provider, request.system(), request.messages());
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
                .model(modelFor(request));
        // Only what is set is sent: the server's defaults apply otherwise.
        Double temperature = request.temperature() != null ? request.temperature() : config.temperature();
        if (temperature != null) b.temperature(temperature);
        Integer maxTokens = request.maxTokens() != null ? request.maxTokens() : config.maxTokens();
        if (maxTokens != null && legacyMaxTokens) b.putAdditionalBodyProperty("max_tokens", JsonValue.from(maxTokens));
        else if (maxTokens != null) b.maxCompletionTokens(maxTokens);
        if (request.system() != null && !request.system().isBlank()) b.addSystemMessage(request.system());
        for (Message m : request.messages()) {
            switch (m) {
                case Message.User u -> b.addUserMessage(u.text());
                case Message.Assistant a -> {
                    ChatCompletionAssistantMessageParam.Builder am = ChatCompletionAssistantMessageParam.builder();
                    if (!a.text().isEmpty()) am.content(a.text());
                    for (ToolCall call : a.toolCalls()) {
                        am.addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name(call.name()).arguments(call.arguments().toString()).build())
                                .build());
                    }
                    b.addMessage(am.build());
                }
                case Message.ToolResult r -> b.addMessage(ChatCompletionToolMessageParam.builder()
                        .toolCallId(r.toolCallId()).content(r.isError() ? "ERROR: " + r.content() : r.content()).build());
            }
        }
        for (ToolSpec tool : request.tools()) b.addTool(sdkTools.of(tool, OpenAiChatModel::functionTool));
        if (!request.tools().isEmpty()) {
            switch (request.toolChoice()) {
                case ToolChoice.Auto a -> b.toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO);
                case ToolChoice.None n -> b.toolChoice(ChatCompletionToolChoiceOption.Auto.NONE);
                case ToolChoice.Any a -> b.toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED);
                case ToolChoice.Specific s -> b.toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name(s.name()).build()).build());
            }
        }
        if (request.outputSchema() != null) b.responseFormat(sdkFormats.of(request.outputSchema(), OpenAiChatModel::responseFormat));
        if (!request.stopSequences().isEmpty()) {
            b.stop(ChatCompletionCreateParams.Stop.ofStrings(request.stopSequences()));
        }
        if (stream) b.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
        // W3C trace context of the current (chat) span, so the provider's side joins the trace.
        io.sigil.telemetry.Tracing.injectCurrent(b::putAdditionalHeader);
        return b.build();
    }

    private static ChatCompletionFunctionTool functionTool(ToolSpec tool) {
        FunctionDefinition.Builder f = FunctionDefinition.builder().name(tool.name())
                .parameters(FunctionParameters.builder().additionalProperties(properties(tool.inputSchema())).build());
        if (!tool.description().isEmpty()) f.description(tool.description());
        return ChatCompletionFunctionTool.builder().function(f.build()).build();
    }

    private static ResponseFormatJsonSchema responseFormat(OutputSchema schema) {
        return ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                .name(schema.name())
                .schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .additionalProperties(properties(schema.schema())).build())
                .build()).build();
    }

    /** A JSON object's fields as the SDK's values: they wrap the nodes, nothing is converted. */
    private static Map<String, JsonValue> properties(JsonNode object) {
        Map<String, JsonValue> properties = new LinkedHashMap<>();
        object.properties().forEach(e -> properties.put(e.getKey(), JsonValue.fromJsonNode(e.getValue())));
        return properties;
    }

    /**
     * A successful response (the SDK has raised its error for any other) read by {@link CompletionReader}, not by the
     * SDK's parse. A body that breaks off is an I/O failure (as the SDK reports it: the caller's catch maps it).
     */
    private ChatResponse response(ChatRequest request, HttpResponseFor<ChatCompletion> raw, long start) {
        String requestId = first(raw.headers().values("x-request-id"));
        CompletionReader.Completion c;
        try {
            c = reader.read(raw.body());
        } catch (JacksonException e) {
            throw ProviderFailures.malformed(provider, requestId, e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new OpenAIIoException("Reading the response body failed", e);
        }
        if (c.problem() != null) throw ProviderFailures.malformed(provider, requestId, c.problem(), null);
        List<ToolCall> calls = new ArrayList<>(c.toolCalls().size());
        for (CompletionReader.Call call : c.toolCalls()) {
            calls.add(new ToolCall(call.id(), call.name(), arguments(call.arguments(), requestId)));
        }
        if (log.isDebugEnabled()) log.debug("{} response {}: {}", provider, requestId, c.text());
        // A compatible server that does not name the model answered for the one asked for.
        return new ChatResponse(c.text(), calls, stopReason(c.finishReason()), c.usage(),
                c.model() != null ? c.model() : modelFor(request), provider,
                Duration.ofNanos(System.nanoTime() - start), requestId);
    }

    /** A streamed completion as the SDK's accumulator assembled it. */
    private ChatResponse response(ChatRequest request, ChatCompletion completion, String requestId, Duration latency) {
        try {
            if (completion.choices().isEmpty()) throw ProviderFailures.malformed(provider, requestId, "no choices", null);
            ChatCompletion.Choice choice = completion.choices().getFirst();
            String text = choice.message().content().orElse("");
            List<ToolCall> calls = new ArrayList<>();
            for (ChatCompletionMessageToolCall call : choice.message().toolCalls().orElse(List.of())) {
                if (!call.isFunction()) continue;
                ChatCompletionMessageFunctionToolCall f = call.asFunction();
                calls.add(new ToolCall(f.id(), f.function().name(), arguments(f.function().arguments(), requestId)));
            }
            Usage usage = completion.usage().map(u -> new Usage(u.promptTokens(), u.completionTokens(),
                    u.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L), 0)).orElse(Usage.ZERO);
            if (log.isDebugEnabled()) log.debug("{} response {}: {}", provider, requestId, text);
            return new ChatResponse(text, calls, stopReason(choice.finishReason().asString()), usage, completion.model(),
                    provider, latency, requestId);
        } catch (OpenAIInvalidDataException e) {
            throw ProviderFailures.malformed(provider, requestId, e.getMessage(), e);
        }
    }

    private JsonNode arguments(String json, String requestId) {
        try {
            JsonNode node = JSON.readTree(json.isBlank() ? "{}" : json);
            if (!node.isObject()) throw ProviderFailures.malformed(provider, requestId, "tool arguments are not an object", null);
            return node;
        } catch (JsonProcessingException e) {
            throw ProviderFailures.malformed(provider, requestId, "tool arguments are not JSON", e);
        }
    }

    static StopReason stopReason(String finishReason) {
        return switch (finishReason) {
            case "stop" -> StopReason.END_TURN;
            case "length" -> StopReason.MAX_TOKENS;
            case "tool_calls", "function_call" -> StopReason.TOOL_USE;
            case "content_filter" -> StopReason.REFUSAL;
            default -> StopReason.OTHER;
        };
    }

    private LlmError failure(OpenAIException e) {
        if (e instanceof OpenAIServiceException s && s.statusCode() > 0) {
            Duration retryAfter = ProviderFailures.retryAfter(s.headers().values("retry-after"),
                    s.headers().values("retry-after-ms"));
            return ProviderFailures.http(provider, s.statusCode(), first(s.headers().values("x-request-id")), retryAfter,
                    apiMessage(s.body()), KEY_VARIABLE);
        }
        return ProviderFailures.transport(provider, e);
    }

    /** {@code error.message} of an OpenAI error body (the SDK may hand over the body or its error object), or null. */
    private static String apiMessage(JsonValue body) {
        try {
            Map<?, ?> map = body.convert(Map.class);
            Object error = map == null ? null : map.containsKey("error") ? map.get("error") : map;
            return error instanceof Map<?, ?> m && m.get("message") != null ? m.get("message").toString() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String modelFor(ChatRequest request) { return request.model() != null ? request.model() : config.defaultModel(); }

    private static String first(List<String> values) { return values.isEmpty() ? null : values.getFirst(); }
}
