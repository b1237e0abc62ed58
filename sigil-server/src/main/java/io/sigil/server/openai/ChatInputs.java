package io.sigil.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.llm.Message;
import io.sigil.llm.ToolCall;
import io.sigil.orchestrator.Conversation;
import io.sigil.server.runs.RunInput;
import io.sigil.sessions.Caller;
import io.sigil.tools.ToolResult;
import io.sigil.tools.UntrustedContent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat completion request as a Sigil run: {@code model} is the agent; the last user message is the run's message
 * and the messages before it its history (a continued session's own history wins); system and developer messages
 * are request context next to the agent's own instructions; assistant tool calls and tool results after the last
 * user message resume a client tool turn; {@code response_format} is a contract for the request.
 */
final class ChatInputs {
    static final String INSTRUCTIONS = "client_instructions";

    private ChatInputs() { }

    static RunInput of(ChatCompletionRequest r, String sessionId, Caller caller, boolean agentHasContract, ObjectMapper mapper) {
        List<ChatCompletionRequest.ChatMessage> all = r.messages();
        int lastUser = -1;
        for (int i = 0; i < all.size(); i++) if (all.get(i).role().equals("user")) lastUser = i;
        if (lastUser < 0) throw ChatCompletionRequest.invalid("messages", "messages needs at least one user message.");
        List<String> instructions = new ArrayList<>();
        Map<String, String> toolNames = new HashMap<>();
        List<Message> history = new ArrayList<>();
        List<Message> resumed = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            var m = all.get(i);
            if (m.role().equals("system") || m.role().equals("developer")) {
                instructions.add(m.content());
                continue;
            }
            if (i == lastUser) continue; // the run's message, added to the history only when a tool turn resumes
            Message converted = message(m, i, toolNames, mapper);
            (i < lastUser ? history : resumed).add(converted);
        }
        String message = all.get(lastUser).content();
        if (!resumed.isEmpty()) {
            if (!(resumed.getLast() instanceof Message.ToolResult)) {
                throw ChatCompletionRequest.invalid("messages[" + (all.size() - 1) + "].role", "After the last user"
                        + " message only assistant tool calls and their tool results may follow: end with the user's"
                        + " turn or with the results of the tool calls.");
            }
            history.add(Message.user(message));
            message = results(all.subList(lastUser + 1, all.size()), toolNames);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        if (!instructions.isEmpty()) context.put(INSTRUCTIONS, String.join("\n\n", instructions));
        var contract = agentHasContract ? null : switch (r.responseFormat().type()) {
            case "json_object" -> SchemaContracts.jsonObject();
            case "json_schema" -> SchemaContracts.of(r.responseFormat());
            default -> null;
        };
        Conversation conversation = new Conversation(history, r.tools(), r.toolChoice(), resumed);
        return new RunInput(r.model(), message, sessionId, context, null, caller, contract, conversation, r.maxTokens());
    }

    private static Message message(ChatCompletionRequest.ChatMessage m, int i, Map<String, String> toolNames,
                                   ObjectMapper mapper) {
        return switch (m.role()) {
            case "user" -> Message.user(m.content());
            case "assistant" -> {
                List<ToolCall> calls = new ArrayList<>();
                for (int j = 0; j < m.toolCalls().size(); j++) {
                    var c = m.toolCalls().get(j);
                    toolNames.put(c.id(), c.function().name());
                    calls.add(new ToolCall(c.id(), c.function().name(),
                            arguments(c.function().arguments(), "messages[" + i + "].tool_calls[" + j + "].function.arguments", mapper)));
                }
                yield new Message.Assistant(m.content(), calls);
            }
            case "tool" -> {
                String name = toolNames.get(m.toolCallId());
                if (name == null) {
                    throw ChatCompletionRequest.invalid("messages[" + i + "].tool_call_id", "No assistant message before"
                            + " this one has a tool call with id '" + m.toolCallId() + "'.");
                }
                // Data from outside, like the agent's own tools' results: capped and wrapped as untrusted for the model.
                String content = m.content();
                String capped = UntrustedContent.cap(content, UntrustedContent.DEFAULT_MAX_CHARS);
                yield new ToolResult(m.toolCallId(), name, capped, false, capped.length() < content.length(),
                        content.length(), java.time.Duration.ZERO).toMessage();
            }
            default -> throw new IllegalStateException("role " + m.role()); // system roles are taken out before
        };
    }

    private static JsonNode arguments(String json, String param, ObjectMapper mapper) {
        try {
            JsonNode node = mapper.readTree(json.isBlank() ? "{}" : json);
            if (node == null || !node.isObject()) throw new IllegalArgumentException("not an object");
            return node;
        } catch (Exception e) {
            throw ChatCompletionRequest.invalid(param, "Tool call arguments must be a JSON object encoded as a string.");
        }
    }

    /** The tool results as the session records the client's turn (as sent, not as wrapped for the model). */
    private static String results(List<ChatCompletionRequest.ChatMessage> turn, Map<String, String> toolNames) {
        StringBuilder sb = new StringBuilder("Tool results:");
        for (var m : turn) {
            if (m.role().equals("tool")) {
                sb.append("\n- ").append(toolNames.get(m.toolCallId())).append(" (").append(m.toolCallId()).append("): ")
                        .append(m.content());
            }
        }
        return sb.toString();
    }
}
