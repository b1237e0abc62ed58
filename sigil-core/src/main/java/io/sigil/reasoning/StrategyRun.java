package io.sigil.reasoning;

import io.sigil.events.EventSink;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenEstimator;
import io.sigil.tokens.TokenTracker;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one strategy run: its token account, its trace and the model calls it makes.
 *
 * <p>Every call goes through {@link #call}: it estimates the request ({@link TokenEstimator}, 4 characters a
 * token), refuses the call when the budget cannot hold the request plus a minimal answer, lowers the call's
 * {@code maxTokens} to what is left, and records the provider's reported usage afterwards in a
 * {@link TokenTracker} over the run's total budget; usage above the budget (a provider that ignores
 * {@code maxTokens}) fails the run. The tracker is per run; a session-wide tracker can add up
 * {@link StrategyResult#tokensUsed()} across runs.
 */
final class StrategyRun {
    /** Below this many output tokens a call is not worth making. */
    static final int MIN_OUTPUT_TOKENS = 16;

    private final ChatModel model;
    private final String modelName;
    private final long budget;
    private final TokenTracker tokens;
    private final EventSink events;
    private final List<TraceEntry> trace = new ArrayList<>();
    private final String instructions;
    private final java.util.Map<String, String> metadata;
    private String modelUsed;

    StrategyRun(ChatModel model, String modelName, long budget, EventSink events) {
        this(model, modelName, budget, events, null, java.util.Map.of());
    }

    StrategyRun(ChatModel model, String modelName, long budget, EventSink events, String instructions,
                java.util.Map<String, String> metadata) {
        this.instructions = instructions == null || instructions.isBlank() ? null : instructions.strip();
        this.metadata = metadata;
        this.model = model;
        this.modelName = modelName;
        this.budget = budget;
        this.tokens = new TokenTracker(TokenBudget.ofTotal(budget));
        this.events = events;
    }

    ChatResponse call(ChatRequest.Builder request, int maxOutputTokens) {
        metadata.forEach(request::metadata);
        ChatRequest draft = request.model(modelName).build();
        if (instructions != null) {
            // The agent's instructions come first; the strategy's own prompt says how to think.
            draft = draft.toBuilder().system(draft.system() == null ? instructions
                    : instructions + "\n\n" + draft.system()).build();
        }
        long input = TokenEstimator.estimateInput(draft);
        tokens.checkBefore(input + MIN_OUTPUT_TOKENS);
        long room = remaining() - input;
        ChatRequest sent = draft.toBuilder().maxTokens((int) Math.min(maxOutputTokens, room)).build();
        ChatResponse response = model.chat(sent);
        modelUsed = response.provider().equals(response.model()) ? response.model()
                : response.provider() + ":" + response.model();
        tokens.record(response.usage());
        return response;
    }

    /** Whether a further {@code tokens} would still fit. */
    boolean canAfford(long more) { return tokensUsed() + more <= budget; }

    void trace(String kind, String text) { trace.add(new TraceEntry(kind, text)); }

    List<TraceEntry> trace() { return trace; }

    long tokensUsed() { return tokens.used().totalTokens(); }

    long budget() { return budget; }

    long remaining() { return budget - tokensUsed(); }

    String modelUsed() { return modelUsed; }

    EventSink events() { return events; }
}
