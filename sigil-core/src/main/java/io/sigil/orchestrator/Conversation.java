package io.sigil.orchestrator;

import io.sigil.llm.Message;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;

import java.util.List;

/**
 * A conversation the caller keeps on its side, as OpenAI-style clients do: the turns before this request, and tools
 * that the caller executes itself ("client tools"). A run with client tools, or one that resumes after them, answers
 * in one tool-calling turn instead of a reasoning strategy: when the model calls a client tool the run ends with
 * those calls as its output ({@link RunResponse#CLIENT_TOOL_CALLS}) for the caller to execute and send back.
 *
 * @param history    earlier turns; the run's context when it continues no session (a session's own history wins)
 * @param tools      the caller's tools, offered to the model next to the agent's own (a caller's tool of the same
 *                   name hides the agent's)
 * @param toolChoice whether the model must call a tool on the first model call; null is auto
 * @param resumed    the turn in progress after the last user message: the assistant's client tool calls and the
 *                   caller's results for them. When not empty, the model continues from {@code history} plus these
 *                   (and the request's message is only the record of the results in the session)
 */
public record Conversation(List<Message> history, List<ToolSpec> tools, ToolChoice toolChoice, List<Message> resumed) {
    public static final Conversation NONE = new Conversation(List.of(), List.of(), null, List.of());

    public Conversation {
        history = history == null ? List.of() : List.copyOf(history);
        tools = tools == null ? List.of() : List.copyOf(tools);
        toolChoice = toolChoice == null ? ToolChoice.AUTO : toolChoice;
        resumed = resumed == null ? List.of() : List.copyOf(resumed);
    }

    /** True when the run answers in a client tool-calling turn rather than by a reasoning strategy or plan. */
    public boolean clientTurn() { return !tools.isEmpty() || !resumed.isEmpty(); }
}
