package io.sigil.tools;

import io.sigil.llm.ToolCall;

/**
 * Sees every call a {@link ToolExecutor} runs, as it happens: the call before it runs (unknown tools and invalid
 * arguments included) and its result after, exactly as the model gets it. The orchestrator streams both to a run's
 * listener. Called on the caller's thread; implementations must be quick and must not throw.
 */
public interface ToolObserver {
    void called(ToolCall call);

    void returned(ToolCall call, ToolResult result);

    ToolObserver NONE = new ToolObserver() {
        @Override
        public void called(ToolCall call) { }

        @Override
        public void returned(ToolCall call, ToolResult result) { }
    };
}
