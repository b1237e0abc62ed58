package io.sigil.llm;

import java.time.Duration;
import java.util.Map;

/**
 * One finished model call, as {@link LlmCallListener}s see it (the event store records it as {@code llm.called}).
 * Exactly one of {@code response} and {@code error} is set; {@code usage} is the response's, or zero on failure.
 * {@code metadata} is the request's (session, agent, correlation ids).
 */
public record LlmCall(String provider, String model, Map<String, String> metadata, ChatRequest request,
                      ChatResponse response, Usage usage, Duration latency, boolean streamed, RuntimeException error) {
    public LlmCall {
        metadata = Map.copyOf(metadata);
    }

    public boolean succeeded() { return error == null; }

    public String sessionId() { return metadata.get(ChatRequest.SESSION_ID); }
}
