package io.sigil.tokens;

import io.sigil.llm.ChatRequest;
import io.sigil.llm.Message;
import io.sigil.llm.ToolSpec;

/**
 * Token estimates before a call: 4 characters a token (sigil-design.md section 11). After a call, the provider's
 * reported usage is what counts.
 */
public final class TokenEstimator {
    private TokenEstimator() { }

    /** At least 1 for non-empty text. */
    public static int estimate(String text) {
        if (text == null || text.isEmpty()) return 0;
        return Math.max(1, (text.length() + 3) / 4);
    }

    /** The input tokens of a request: system prompt, messages, tool definitions and output schema. */
    public static int estimateInput(ChatRequest request) {
        int tokens = estimate(request.system());
        for (Message m : request.messages()) {
            tokens += switch (m) {
                case Message.User u -> estimate(u.text());
                case Message.Assistant a -> estimate(a.text())
                        + a.toolCalls().stream().mapToInt(c -> estimate(c.arguments().toString()) + 8).sum();
                case Message.ToolResult r -> estimate(r.content());
            };
        }
        for (ToolSpec tool : request.tools()) {
            tokens += estimate(tool.name()) + estimate(tool.description()) + estimate(tool.inputSchema().toString());
        }
        if (request.outputSchema() != null) tokens += estimate(request.outputSchema().schema().toString());
        return tokens;
    }
}
