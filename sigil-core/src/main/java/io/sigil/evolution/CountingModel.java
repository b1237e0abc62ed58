package io.sigil.evolution;

import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.StreamListener;

import java.time.Duration;
import java.util.Objects;

/** A model whose every answered call is added to a {@link Cost}: how evolution counts what it spends. */
final class CountingModel implements ChatModel {
    private final ChatModel delegate;
    private final Cost cost;

    CountingModel(ChatModel delegate, Cost cost) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.cost = Objects.requireNonNull(cost, "cost");
    }

    @Override
    public ChatResponse chat(ChatRequest request) { return counted(delegate.chat(request)); }

    @Override
    public ChatResponse chat(ChatRequest request, Duration within) { return counted(delegate.chat(request, within)); }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return counted(delegate.stream(request, listener));
    }

    private ChatResponse counted(ChatResponse r) {
        cost.add(r.usage());
        return r;
    }

    @Override
    public String provider() { return delegate.provider(); }
}
