package io.sigil.llm.test;

import io.sigil.llm.ChatRequest;
import io.sigil.llm.ChatResponse;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How the offline test model answers when nothing is scripted, deterministically:
 * <ol>
 *   <li>a tool call when tools are offered and either the tool choice forces one or the last user message names a
 *       tool (its arguments are sampled from the tool's input schema);</li>
 *   <li>after a tool result, a text reporting it (so tool loops end);</li>
 *   <li>for an output schema, JSON valid against it (see {@link SchemaSampler});</li>
 *   <li>otherwise a text that says it is the offline test model.</li>
 * </ol>
 */
final class OfflineResponder implements Function<ChatRequest, ChatResponse> {
    static final String MARK = "[offline test model: no LLM was called]";

    @Override
    public ChatResponse apply(ChatRequest request) {
        Message last = request.messages().getLast();
        if (last instanceof Message.ToolResult result) {
            return TestModel.text(MARK + " The tool " + (result.toolName() == null ? result.toolCallId() : result.toolName())
                    + (result.isError() ? " failed: " : " returned: ") + excerpt(result.content()));
        }
        ToolSpec tool = requestedTool(request, lastUserText(request));
        if (tool != null) {
            String id = "call_test_" + (priorToolCalls(request) + 1);
            return TestModel.toolCalls(new ToolCall(id, tool.name(), new SchemaSampler(tool.inputSchema()).sample()));
        }
        if (request.outputSchema() != null) {
            return TestModel.text(new SchemaSampler(request.outputSchema().schema()).sample().toString());
        }
        return TestModel.text(MARK + " You said: " + excerpt(lastUserText(request)));
    }

    private static ToolSpec requestedTool(ChatRequest request, String prompt) {
        List<ToolSpec> tools = request.tools();
        if (tools.isEmpty()) return null;
        switch (request.toolChoice()) {
            case ToolChoice.None n -> { return null; }
            case ToolChoice.Specific s -> {
                return tools.stream().filter(t -> t.name().equals(s.name())).findFirst().orElse(tools.getFirst());
            }
            case ToolChoice.Any a -> {
                ToolSpec named = named(tools, prompt);
                return named != null ? named : tools.getFirst();
            }
            case ToolChoice.Auto a -> { return named(tools, prompt); }
        }
    }

    /** The tool whose name the prompt mentions, written as is or with spaces for underscores. */
    private static ToolSpec named(List<ToolSpec> tools, String prompt) {
        String text = prompt.toLowerCase(Locale.ROOT);
        for (ToolSpec tool : tools) {
            String name = tool.name().toLowerCase(Locale.ROOT);
            if (text.contains(name) || text.contains(name.replace('_', ' ').replace('-', ' '))) return tool;
        }
        return null;
    }

    private static String lastUserText(ChatRequest request) {
        return request.messages().stream()
                .filter(m -> m instanceof Message.User)
                .map(m -> ((Message.User) m).text())
                .reduce((a, b) -> b).orElse("");
    }

    private static int priorToolCalls(ChatRequest request) {
        return request.messages().stream()
                .mapToInt(m -> m instanceof Message.Assistant a ? a.toolCalls().size() : 0).sum();
    }

    private static String excerpt(String text) {
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
