package io.sigil.reasoning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.llm.ContentPart;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a ReAct loop stopped for a human decision: the conversation up to the model turn that asked for the call
 * (with the results of that turn's earlier calls), the iteration, the tally of tool results so far, and the calls of
 * that turn still to run after the decided one. Stored as plain JSON values in {@code approval.requested}, so that
 * any process can go on from exactly there: no model turn and no tool call before it is made again.
 */
public record ReactCheckpoint(List<Message> conversation, int iteration, int succeeded, int failed,
                              List<ToolCall> remaining, String instructions) {
    private static final ObjectMapper JSON = io.sigil.json.JsonFactories.mapper().build();

    public ReactCheckpoint {
        conversation = List.copyOf(conversation);
        remaining = List.copyOf(remaining);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", StrategyName.REACT.wireName());
        m.put("iteration", iteration);
        m.put("succeeded", succeeded);
        m.put("failed", failed);
        if (instructions != null) m.put("instructions", instructions);
        m.put("conversation", conversation.stream().map(ReactCheckpoint::message).toList());
        m.put("remaining", remaining.stream().map(ReactCheckpoint::call).toList());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static ReactCheckpoint fromMap(Map<String, Object> m) {
        Object strategy = m.get("strategy");
        if (!StrategyName.REACT.wireName().equals(strategy)) {
            throw new IllegalArgumentException("not a ReAct checkpoint: strategy " + strategy);
        }
        List<Message> conversation = new ArrayList<>();
        for (Object o : (List<Object>) m.get("conversation")) conversation.add(message((Map<String, Object>) o));
        List<ToolCall> remaining = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("remaining", List.of())) remaining.add(call((Map<String, Object>) o));
        return new ReactCheckpoint(conversation, number(m.get("iteration")), number(m.get("succeeded")),
                number(m.get("failed")), remaining, (String) m.get("instructions"));
    }

    private static int number(Object o) { return o == null ? 0 : ((Number) o).intValue(); }

    private static Map<String, Object> message(Message message) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (message) {
            case Message.User u -> {
                m.put("role", "user");
                m.put("text", u.text());
            }
            case Message.Assistant a -> {
                m.put("role", "assistant");
                m.put("text", a.text());
                m.put("tool_calls", a.toolCalls().stream().map(ReactCheckpoint::call).toList());
            }
            case Message.ToolResult r -> {
                m.put("role", "tool");
                m.put("call_id", r.toolCallId());
                m.put("tool", r.toolName());
                m.put("content", r.content());
                m.put("is_error", r.isError());
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Message message(Map<String, Object> m) {
        return switch (String.valueOf(m.get("role"))) {
            case "user" -> new Message.User(List.of(new ContentPart.Text((String) m.get("text"))));
            case "assistant" -> {
                List<ToolCall> calls = new ArrayList<>();
                for (Object o : (List<Object>) m.getOrDefault("tool_calls", List.of())) calls.add(call((Map<String, Object>) o));
                yield new Message.Assistant((String) m.get("text"), calls);
            }
            case "tool" -> Message.toolResult((String) m.get("call_id"), (String) m.get("tool"),
                    (String) m.get("content"), Boolean.TRUE.equals(m.get("is_error")));
            default -> throw new IllegalArgumentException("unknown message role in a checkpoint: " + m.get("role"));
        };
    }

    public static Map<String, Object> call(ToolCall call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", call.id());
        m.put("name", call.name());
        m.put("arguments", arguments(call.arguments()));
        return m;
    }

    static ToolCall call(Map<String, Object> m) {
        return new ToolCall((String) m.get("id"), (String) m.get("name"), JSON.valueToTree(m.get("arguments")));
    }

    /** A call's arguments as plain JSON values (what an event payload holds). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> arguments(JsonNode node) {
        return node == null || node.isNull() ? Map.of() : JSON.convertValue(node, LinkedHashMap.class);
    }
}
