package io.sigil.llm;

/**
 * The port every model provider implements: one blocking call, with streaming layered on top by default.
 *
 * <p>Blocking is deliberate: Sigil runs requests on virtual threads, so a call that waits costs no platform
 * thread, and callers read top to bottom. Cancellation is by {@link Thread#interrupt()} on the calling thread
 * (providers turn it into a cancelled call, not a hang).
 */
public interface ChatModel {

    /** Sends one request and returns the whole response. Failures are {@link io.sigil.errors.SigilError}s. */
    ChatResponse chat(ChatRequest request);

    /**
     * Sends one request and reports text deltas and tool calls as they arrive, then returns the final response.
     * Providers with native streaming override this; the default delivers the whole response as one delta.
     */
    default ChatResponse stream(ChatRequest request, StreamListener listener) {
        ChatResponse response = chat(request);
        if (!response.text().isEmpty()) listener.onText(response.text());
        response.toolCalls().forEach(listener::onToolCall);
        listener.onComplete(response);
        return response;
    }

    /** The provider name used in metrics, events and model strings ({@code anthropic}, {@code openai}, {@code test}). */
    String provider();
}
