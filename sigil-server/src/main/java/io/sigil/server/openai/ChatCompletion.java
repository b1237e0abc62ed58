package io.sigil.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The {@code chat.completion} object, the body of a non-streamed {@code POST /v1/chat/completions}, member for member
 * as OpenAI writes it (nullable members are written as null, not left out).
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                             String systemFingerprint) {

    public static ChatCompletion of(String id, long created, String model, AssistantMessage message, String finishReason,
                                    Usage usage) {
        return new ChatCompletion(id, "chat.completion", created, model,
                List.of(new Choice(0, message, null, finishReason)), usage, null);
    }

    public record Choice(int index, AssistantMessage message, Object logprobs, String finishReason) { }

    /** @param toolCalls the client tool calls, or null when there are none (OpenAI leaves the member out then) */
    public record AssistantMessage(String role, String content, String refusal,
                                   @JsonInclude(JsonInclude.Include.NON_NULL) List<ToolCall> toolCalls) {
        static AssistantMessage text(String content) { return new AssistantMessage("assistant", content, null, null); }

        static AssistantMessage calls(List<ToolCall> calls) { return new AssistantMessage("assistant", null, null, calls); }
    }

    /** A call of a client tool; {@code arguments} is a JSON text, as OpenAI sends it. */
    public record ToolCall(String id, String type, Function function) {
        static ToolCall of(String id, String name, String arguments) {
            return new ToolCall(id, "function", new Function(name, arguments));
        }
    }

    public record Function(String name, String arguments) { }

    public record Usage(long promptTokens, long completionTokens, long totalTokens) { }
}
