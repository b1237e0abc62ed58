package io.sigil.llm;

/** Receives a streamed response as it arrives. Called on the thread that called {@link ChatModel#stream}. */
public interface StreamListener {

    void onText(String delta);

    default void onToolCall(ToolCall toolCall) { }

    default void onComplete(ChatResponse response) { }

    StreamListener NONE = delta -> { };
}
