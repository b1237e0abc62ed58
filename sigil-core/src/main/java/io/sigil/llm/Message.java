package io.sigil.llm;

import java.util.List;
import java.util.Objects;

/** One turn of a conversation sent to a model. */
public sealed interface Message permits Message.User, Message.Assistant, Message.ToolResult {

    Role role();

    static User user(String text) { return new User(List.of(new ContentPart.Text(text))); }

    static Assistant assistant(String text) { return new Assistant(text, List.of()); }

    static ToolResult toolResult(String toolCallId, String toolName, String content, boolean isError) {
        return new ToolResult(toolCallId, toolName, content, isError);
    }

    /** A user turn of one or more parts. */
    record User(List<ContentPart> parts) implements Message {
        public User {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) throw new IllegalArgumentException("a user message needs at least one part");
        }

        public Role role() { return Role.USER; }

        /** All text parts joined by blank lines. */
        public String text() {
            if (parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text t) return t.text(); // the usual case
            return String.join("\n\n", parts.stream()
                    .map(p -> p instanceof ContentPart.Text t ? t.text() : "").toList());
        }
    }

    /** A model turn: text and/or the tool calls it asked for. */
    record Assistant(String text, List<ToolCall> toolCalls) implements Message {
        public Assistant {
            text = text == null ? "" : text;
            toolCalls = List.copyOf(toolCalls);
        }

        public Role role() { return Role.ASSISTANT; }
    }

    /** The result of one tool call, fed back to the model. {@code content} is untrusted data. */
    record ToolResult(String toolCallId, String toolName, String content, boolean isError) implements Message {
        public ToolResult {
            Objects.requireNonNull(toolCallId, "toolCallId");
            content = content == null ? "" : content;
        }

        public Role role() { return Role.TOOL; }
    }
}
