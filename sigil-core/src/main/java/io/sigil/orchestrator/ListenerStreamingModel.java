package io.sigil.orchestrator;

import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.StreamListener;

/**
 * Streams every model call of a request to its {@link RunListener}, so a user watches the answer being written
 * instead of waiting for it. Strategies call {@code chat}; this turns it into {@code stream}.
 */
final class ListenerStreamingModel implements ChatModel {
    private final ChatModel delegate;
    private final RunListener listener;

    ListenerStreamingModel(ChatModel delegate, RunListener listener) {
        this.delegate = delegate;
        this.listener = listener;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        if (listener == RunListener.NONE) return delegate.chat(request);
        return delegate.stream(request, listener::token);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener streamListener) {
        return delegate.stream(request, delta -> {
            listener.token(delta);
            streamListener.onText(delta);
        });
    }

    @Override
    public String provider() { return delegate.provider(); }
}
