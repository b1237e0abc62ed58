package io.sigil.llm.test;

import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;

import java.util.function.Function;

/**
 * How the offline test model answers when nothing is scripted. Plain prompts get a text that says it is the
 * offline test model. (Schema-aware JSON and tool calls are added by the LLM layer's issue.)
 */
final class OfflineResponder implements Function<ChatRequest, ChatResponse> {

    @Override
    public ChatResponse apply(ChatRequest request) {
        String last = request.messages().stream()
                .filter(m -> m instanceof Message.User)
                .map(m -> ((Message.User) m).text())
                .reduce((a, b) -> b).orElse("");
        String excerpt = last.length() > 80 ? last.substring(0, 77) + "..." : last;
        return TestModel.text("[offline test model: no LLM was called] You said: " + excerpt);
    }
}
