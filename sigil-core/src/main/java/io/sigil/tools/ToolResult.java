package io.sigil.tools;

import io.sigil.llm.Message;

import java.time.Duration;
import java.util.Objects;

/**
 * What one tool call produced. {@code output} is the tool's raw text (or the error message) after the size
 * cap; {@link #forModel()} is what the model sees: the output wrapped and labelled as untrusted data.
 */
public record ToolResult(String callId, String toolName, String output, boolean isError, boolean truncated,
                         int originalLength, Duration duration) {
    public ToolResult {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(toolName, "toolName");
        output = output == null ? "" : output;
    }

    /** The wrapped form fed back to a model (see {@link UntrustedContent}). */
    public String forModel() { return UntrustedContent.wrap(toolName, output, isError, truncated, originalLength); }

    /** The message that returns this result to the model in a tool-calling conversation. */
    public Message.ToolResult toMessage() { return Message.toolResult(callId, toolName, forModel(), isError); }
}
