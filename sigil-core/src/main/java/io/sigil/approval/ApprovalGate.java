package io.sigil.approval;

import io.sigil.llm.ToolCall;

import java.util.Optional;

/** Asked before each tool call a model makes: why the call must wait for a human decision, or empty to run it. */
@FunctionalInterface
public interface ApprovalGate {
    Optional<String> reason(ToolCall call);

    ApprovalGate NONE = call -> Optional.empty();
}
