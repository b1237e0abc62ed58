package io.sigil.llm.test;

import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.StopReason;
import io.sigil.llm.ToolCall;
import io.sigil.llm.Usage;
import io.sigil.tokens.TokenEstimator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The offline {@code test} model: deterministic, no network, always reporting provider and model {@code test}
 * so its outputs are never mistaken for a real model's.
 *
 * <p>Three ways to drive it: {@link #offline()} answers every request by itself (see {@link OfflineResponder}:
 * schema-valid JSON for an output schema, a tool call when the prompt names an offered tool, else a text marked as
 * the offline model's);
 * {@link #scripted(Function)} answers with a function of the request; {@link #queue(ChatResponse...)} answers
 * with canned responses in order and fails loudly when they run out. Every request it receives is kept (the last
 * 10 000), so tests can assert what was sent; {@link #offlineUnrecorded()}, the model behind {@code --model test} in
 * the CLI and server, keeps none.
 */
public final class TestModel implements ChatModel {
    public static final String NAME = "test";

    /**
     * Said in the response itself (warnings, with {@code "synthetic": true} in its metadata) whenever this model
     * produced it: its answers and deliverables are invented and may contradict the input.
     */
    public static final String SYNTHETIC_WARNING = "synthetic output: invented by the offline test model (--model test);"
            + " no LLM was called and nothing in it is real";

    private final Function<ChatRequest, ChatResponse> responder;
    /** Requests kept for assertions; bounded so a benchmark's millions of calls do not fill the heap. */
    static final int KEPT_REQUESTS = 10_000;

    private final Deque<ChatRequest> requests = new ArrayDeque<>();
    private final boolean recording;

    private TestModel(Function<ChatRequest, ChatResponse> responder) { this(responder, true); }

    private TestModel(Function<ChatRequest, ChatResponse> responder, boolean recording) {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.recording = recording;
    }

    /** The offline model, keeping the requests it receives for assertions. */
    public static TestModel offline() { return new TestModel(new OfflineResponder()); }

    /**
     * The offline model behind {@code --model test}: answers like {@link #offline()} but keeps no requests. A server
     * answering thousands of runs a second would otherwise hold its last 10 000 requests, each alive for seconds,
     * which every young collection copies (they were half of what survived one in the HTTP benchmark).
     */
    public static TestModel offlineUnrecorded() { return new TestModel(new OfflineResponder(), false); }

    /** Answers each request with {@code script.apply(request)}. */
    public static TestModel scripted(Function<ChatRequest, ChatResponse> script) { return new TestModel(script); }

    /** Answers with these responses in order; a request beyond the last is an error naming how many were scripted. */
    public static TestModel queue(ChatResponse... responses) {
        Deque<ChatResponse> pending = new ArrayDeque<>(List.of(responses));
        int scripted = responses.length;
        return new TestModel(request -> {
            synchronized (pending) {
                ChatResponse next = pending.pollFirst();
                if (next == null) {
                    throw new IllegalStateException("test model script exhausted: " + scripted
                            + " responses were scripted and request " + (scripted + 1) + " arrived");
                }
                return next;
            }
        });
    }

    /** Answers with these texts in order (see {@link #queue(ChatResponse...)}). */
    public static TestModel queueText(String... texts) {
        return queue(java.util.Arrays.stream(texts).map(TestModel::text).toArray(ChatResponse[]::new));
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        if (recording) {
            synchronized (requests) {
                if (requests.size() == KEPT_REQUESTS) requests.pollFirst();
                requests.addLast(request);
            }
        }
        long start = System.nanoTime();
        ChatResponse response = responder.apply(request);
        if (response.usage().totalTokens() == 0) {
            response = new ChatResponse(response.text(), response.toolCalls(), response.stopReason(),
                    Usage.of(TokenEstimator.estimateInput(request), Math.max(1, estimateTokens(response.text())
                            + response.toolCalls().stream().mapToInt(c -> estimateTokens(c.arguments().toString())).sum())),
                    response.model(), response.provider(), response.latency(), response.requestId());
        }
        return response.withLatency(Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public String provider() { return NAME; }

    /** Every request received so far (the last 10 000), in order; empty for {@link #offlineUnrecorded()}. */
    public List<ChatRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** A text response from the test model (usage is estimated when the model returns it). */
    public static ChatResponse text(String text) {
        return new ChatResponse(text, List.of(), StopReason.END_TURN, Usage.ZERO, NAME, NAME, Duration.ZERO, null);
    }

    /** A response asking for tool calls. */
    public static ChatResponse toolCalls(ToolCall... calls) {
        return new ChatResponse("", List.of(calls), StopReason.TOOL_USE, Usage.ZERO, NAME, NAME, Duration.ZERO, null);
    }

    /** Estimated tokens of a text: 4 characters a token (sigil-design.md section 11), at least 1 for non-empty text. */
    public static int estimateTokens(String text) { return TokenEstimator.estimate(text); }
}
