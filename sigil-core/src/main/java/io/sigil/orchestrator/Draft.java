package io.sigil.orchestrator;

import io.sigil.llm.ToolCall;

import java.util.List;

/** The answer of the reasoning or plan stage, before the contract; or the client tool calls the run ends with. */
record Draft(String text, String planId, boolean complete, List<String> errors, List<ToolCall> clientCalls) {
    Draft(String text, String planId, boolean complete, List<String> errors) {
        this(text, planId, complete, errors, List.of());
    }

    /** A complete answer with nothing recovered on the way. */
    static Draft answer(String text) {
        return new Draft(text, null, true, List.of());
    }
}
