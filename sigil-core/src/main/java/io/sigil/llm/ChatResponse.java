package io.sigil.llm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a model answered: text and tool calls, why it stopped, token usage, and which model and provider
 * answered (the offline test model reports provider {@code test}, model {@code test}).
 */
public record ChatResponse(String text, List<ToolCall> toolCalls, StopReason stopReason, Usage usage,
                           String model, String provider, Duration latency, String requestId) {
    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = List.copyOf(toolCalls);
        Objects.requireNonNull(stopReason, "stopReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(provider, "provider");
        latency = latency == null ? Duration.ZERO : latency;
    }

    public boolean hasToolCalls() { return !toolCalls.isEmpty(); }

    /** The same response with another latency (providers measure around the SDK call). */
    public ChatResponse withLatency(Duration latency) {
        return new ChatResponse(text, toolCalls, stopReason, usage, model, provider, latency, requestId);
    }
}
