package io.sigil.reasoning;

import io.sigil.errors.ReasoningError;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.StopReason;

/**
 * One call, answer as given. Confidence (the design is silent): 0.7 for a complete answer, 0.5 when the model
 * stopped at the token limit.
 */
public final class DirectStrategy extends ModelStrategy {
    static final String SYSTEM = "Answer the task directly, accurately and concisely.";

    public DirectStrategy(ChatModel model, String modelName) { super(model, modelName); }

    @Override
    public StrategyName name() { return StrategyName.DIRECT; }

    @Override
    Answer solve(ReasoningRequest request, StrategyRun run) {
        ChatResponse r = run.call(ChatRequest.builder().system(SYSTEM).user(request.prompt()), 1024);
        String text = r.text().strip();
        if (text.isEmpty()) throw new ReasoningError("the model returned an empty answer");
        run.trace("answer", text);
        return new Answer(text, r.stopReason() == StopReason.MAX_TOKENS ? 0.5 : 0.7);
    }
}
