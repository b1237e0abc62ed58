package io.sigil.reasoning;

import io.sigil.events.EventSink;
import io.sigil.llm.ChatModel;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolSpec;
import io.sigil.tokens.TokenBudget;
import io.sigil.tokens.TokenBudgetExceeded;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one strategy run: its token account, its trace and the model calls it makes.
 *
 * <p>Every call goes through {@link #call}: it estimates the request (4 characters a token, section 11), refuses
 * the call when the budget cannot hold the request plus a minimal answer, lowers the call's {@code maxTokens}
 * to what is left, and charges the provider's reported usage afterwards. Usage above the budget (a provider
 * that ignores {@code maxTokens}) fails the run. Accounting is local to the run on purpose; a session-wide
 * tracker can sum {@link #tokensUsed()} across runs.
 */
final class StrategyRun {
    /** Below this many output tokens a call is not worth making. */
    static final int MIN_OUTPUT_TOKENS = 16;

    private final ChatModel model;
    private final String modelName;
    private final long budget;
    private final EventSink events;
    private final List<TraceEntry> trace = new ArrayList<>();
    private long used;
    private int calls;
    private String modelUsed;

    StrategyRun(ChatModel model, String modelName, long budget, EventSink events) {
        this.model = model;
        this.modelName = modelName;
        this.budget = budget;
        this.events = events;
    }

    ChatResponse call(ChatRequest.Builder request, int maxOutputTokens) {
        ChatRequest draft = request.model(modelName).build();
        long input = estimate(draft);
        long room = budget - used - input;
        if (room < MIN_OUTPUT_TOKENS) {
            throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, used + input + MIN_OUTPUT_TOKENS, budget);
        }
        ChatRequest sent = draft.toBuilder().maxTokens((int) Math.min(maxOutputTokens, room)).build();
        ChatResponse response = model.chat(sent);
        calls++;
        used += response.usage().totalTokens();
        modelUsed = response.provider().equals(response.model()) ? response.model()
                : response.provider() + ":" + response.model();
        if (used > budget) throw new TokenBudgetExceeded(TokenBudget.Limit.TOTAL, used, budget);
        return response;
    }

    /** Whether a further {@code tokens} would still fit. */
    boolean canAfford(long tokens) { return used + tokens <= budget; }

    void trace(String kind, String text) { trace.add(new TraceEntry(kind, text)); }

    List<TraceEntry> trace() { return trace; }

    long tokensUsed() { return used; }

    long budget() { return budget; }

    long remaining() { return budget - used; }

    int calls() { return calls; }

    String modelUsed() { return modelUsed; }

    EventSink events() { return events; }

    /** Tokens of a request before it is sent: 4 characters a token, plus a little per message and tool. */
    static long estimate(ChatRequest request) {
        long chars = request.system() == null ? 0 : request.system().length();
        long overhead = 0;
        for (Message m : request.messages()) {
            overhead += 4;
            chars += switch (m) {
                case Message.User u -> u.text().length();
                case Message.Assistant a -> a.text().length() + a.toolCalls().stream()
                        .mapToInt(c -> c.name().length() + c.arguments().toString().length()).sum();
                case Message.ToolResult r -> r.content().length();
            };
        }
        for (ToolSpec t : request.tools()) {
            chars += t.name().length() + t.description().length() + t.inputSchema().toString().length();
        }
        return (chars + 3) / 4 + overhead;
    }

    static long estimate(String text) { return text == null ? 0 : (text.length() + 3) / 4; }
}
