package io.sigil.server.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One {@code chat.completion.chunk} of a streamed completion, as OpenAI writes them: the first delta carries the
 * role, then content or tool call deltas, then an empty delta with the {@code finish_reason}, then (with
 * {@code stream_options.include_usage}) a chunk with no choices and the usage.
 */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) ChatCompletion.Usage usage,
                                  String systemFingerprint) {

    static ChatCompletionChunk of(String id, long created, String model, Delta delta, String finishReason) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                List.of(new Choice(0, delta, null, finishReason)), null, null);
    }

    static ChatCompletionChunk usage(String id, long created, String model, ChatCompletion.Usage usage) {
        return new ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(), usage, null);
    }

    public record Choice(int index, Delta delta, Object logprobs, String finishReason) { }

    /** Only the members a delta has are written (OpenAI's deltas are sparse). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content, List<ToolCallDelta> toolCalls) {
        static final Delta EMPTY = new Delta(null, null, null);

        static Delta roleChunk() { return new Delta("assistant", "", null); }

        static Delta content(String text) { return new Delta(null, text, null); }
    }

    /** A tool call in a stream: its position among the message's calls, then id, type and function. */
    public record ToolCallDelta(int index, String id, String type, ChatCompletion.Function function) { }
}
