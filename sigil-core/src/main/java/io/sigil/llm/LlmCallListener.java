package io.sigil.llm;

/**
 * Told about every model call through an {@link ObservedChatModel}. Runs on the calling thread after the call;
 * a listener that throws is logged and ignored, so observing never breaks a call.
 */
@FunctionalInterface
public interface LlmCallListener {
    void onCall(LlmCall call);

    LlmCallListener NONE = call -> { };
}
