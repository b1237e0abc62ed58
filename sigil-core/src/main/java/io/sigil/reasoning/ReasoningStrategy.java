package io.sigil.reasoning;

import io.sigil.events.EventSink;

/**
 * One way of reasoning about a task with a model. Implementations never throw for a failed run: they return a
 * result with {@code success = false} and the error, so the manager can fall back.
 */
public interface ReasoningStrategy {

    StrategyName name();

    StrategyResult reason(ReasoningRequest request, EventSink events);
}
