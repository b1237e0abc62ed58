package io.sigil.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.llm.ToolChoice;
import io.sigil.llm.ToolSpec;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/chat/completions}, read member by member: OpenAI's members are polymorphic (a content
 * is a string or a list of parts, a tool choice a string or an object), and every mistake is a 400 naming the
 * member as OpenAI's {@code param} ({@code messages[2].content}). Members Sigil does not use but clients send as a
 * matter of course (sampling settings) are accepted and ignored; unknown members are refused as OpenAI refuses them.
 *
 * @param maxTokens {@code max_completion_tokens} or {@code max_tokens}: Sigil's token budget for the whole run
 */
public record ChatCompletionRequest(String model, List<ChatMessage> messages, boolean stream, boolean includeUsage,
                                    ResponseFormat responseFormat, List<ToolSpec> tools, ToolChoice toolChoice,
                                    String user, Long maxTokens) {

    private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> USED = Set.of("model", "messages", "stream", "stream_options", "response_format",
            "tools", "tool_choice", "user", "max_tokens", "max_completion_tokens", "n", "logprobs");
    /** Sampling and bookkeeping members: the agent's model settings apply instead (docs/openai-api.md). */
    private static final Set<String> IGNORED = Set.of("temperature", "top_p", "seed", "presence_penalty",
            "frequency_penalty", "logit_bias", "top_logprobs", "metadata", "store", "parallel_tool_calls",
            "service_tier", "stop", "reasoning_effort", "verbosity", "prompt_cache_key", "safety_identifier");

    /** One message; {@code toolCalls} only on assistant messages, {@code toolCallId} only on tool messages. */
    public record ChatMessage(String role, String content, List<ChatCompletion.ToolCall> toolCalls, String toolCallId) { }

    /** {@code text}, {@code json_object}, or {@code json_schema} with its name and schema. */
    public record ResponseFormat(String type, String name, String description, JsonNode schema) {
        static final ResponseFormat TEXT = new ResponseFormat("text", null, null, null);
    }

    public static ChatCompletionRequest parse(JsonNode body, ObjectMapper mapper) {
        if (body == null || !body.isObject()) throw invalid(null, "The request body must be a JSON object.");
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!USED.contains(name) && !IGNORED.contains(name)) {
                throw invalid(name, "Unrecognized request argument supplied: " + name);
            }
        }
        String model = text(body, "model", true);
        if (body.has("n") && !body.get("n").isNull() && body.get("n").asInt(-1) != 1) {
            throw invalid("n", "Sigil answers with one choice: n must be 1.");
        }
        if (body.path("logprobs").asBoolean(false)) throw invalid("logprobs", "Sigil does not report log probabilities.");
        boolean stream = bool(body, "stream");
        JsonNode options = body.get("stream_options");
        boolean includeUsage = false;
        if (options != null && !options.isNull()) {
            if (!stream) throw invalid("stream_options", "stream_options is only allowed when stream is true.");
            if (!options.isObject()) throw invalid("stream_options", "stream_options must be an object.");
            includeUsage = bool(options, "include_usage", "stream_options.include_usage");
        }
        List<ChatMessage> messages = messages(body.get("messages"));
        List<ToolSpec> tools = tools(body.get("tools"), mapper);
        ToolChoice choice = toolChoice(body.get("tool_choice"), tools);
        Long maxTokens = maxTokens(body);
        String user = body.has("user") && !body.get("user").isNull() ? text(body, "user", false) : null;
        return new ChatCompletionRequest(model, messages, stream, includeUsage, responseFormat(body.get("response_format")),
                tools, choice, user, maxTokens);
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("messages", "messages must be a non-empty array of messages.");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = node.get(i);
            if (!m.isObject()) throw invalid(at, "Each message must be an object with a role.");
            String role = text(m, "role", at + ".role", true);
            switch (role) {
                case "system", "developer", "user" -> out.add(new ChatMessage(role, content(m.get("content"), at + ".content", true), null, null));
                case "assistant" -> {
                    List<ChatCompletion.ToolCall> calls = toolCalls(m.get("tool_calls"), at + ".tool_calls");
                    out.add(new ChatMessage(role, content(m.get("content"), at + ".content", calls.isEmpty()), calls, null));
                }
                case "tool" -> out.add(new ChatMessage(role, content(m.get("content"), at + ".content", true), null,
                        text(m, "tool_call_id", at + ".tool_call_id", true)));
                default -> throw invalid(at + ".role", "Unsupported role '" + role
                        + "': use system, developer, user, assistant or tool.");
            }
        }
        return out;
    }

    /** A string, or a list of text parts joined; other parts (images, audio, files) are refused. */
    private static String content(JsonNode node, String at, boolean required) {
        if (node == null || node.isNull()) {
            if (required) throw invalid(at, "This message needs a content.");
            return null;
        }
        if (node.isTextual()) return node.asText();
        if (!node.isArray()) throw invalid(at, "content must be a string or an array of text parts.");
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < node.size(); j++) {
            JsonNode part = node.get(j);
            if (!"text".equals(part.path("type").asText()) && !"input_text".equals(part.path("type").asText())) {
                throw invalid(at + "[" + j + "].type", "Sigil's OpenAI-compatible API takes text parts only, got '"
                        + part.path("type").asText() + "'.");
            }
            if (!sb.isEmpty()) sb.append("\n\n");
            sb.append(part.path("text").asText());
        }
        return sb.toString();
    }

    private static List<ChatCompletion.ToolCall> toolCalls(JsonNode node, String at) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw invalid(at, "tool_calls must be an array.");
        List<ChatCompletion.ToolCall> out = new ArrayList<>();
        for (int j = 0; j < node.size(); j++) {
            JsonNode c = node.get(j);
            String here = at + "[" + j + "]";
            String id = text(c, "id", here + ".id", true);
            JsonNode f = c.get("function");
            if (f == null || !f.isObject()) throw invalid(here + ".function", "A tool call needs a function object.");
            String name = text(f, "name", here + ".function.name", true);
            JsonNode args = f.get("arguments");
            out.add(ChatCompletion.ToolCall.of(id, name, args == null || args.isNull() ? "{}" : args.asText()));
        }
        return out;
    }

    private static List<ToolSpec> tools(JsonNode node, ObjectMapper mapper) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw invalid("tools", "tools must be an array of function tools.");
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "tools[" + i + "]";
            JsonNode t = node.get(i);
            if (!"function".equals(t.path("type").asText())) throw invalid(at + ".type", "Only function tools are supported.");
            JsonNode f = t.get("function");
            if (f == null || !f.isObject()) throw invalid(at + ".function", "A tool needs a function object.");
            String name = text(f, "name", at + ".function.name", true);
            if (!TOOL_NAME.matcher(name).matches()) {
                throw invalid(at + ".function.name", "A function name is 1 to 64 letters, digits, '_' or '-'.");
            }
            if (out.stream().anyMatch(s -> s.name().equals(name))) throw invalid(at + ".function.name", "Duplicate tool '" + name + "'.");
            JsonNode parameters = f.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw invalid(at + ".function.parameters", "parameters must be a JSON Schema object.");
            }
            JsonNode schema = parameters == null || parameters.isNull()
                    ? mapper.createObjectNode().put("type", "object").set("properties", mapper.createObjectNode()) : parameters;
            out.add(new ToolSpec(name, f.path("description").asText(""), schema));
        }
        return out;
    }

    private static ToolChoice toolChoice(JsonNode node, List<ToolSpec> tools) {
        if (node == null || node.isNull()) return ToolChoice.AUTO;
        if (tools.isEmpty()) throw invalid("tool_choice", "tool_choice is only allowed when tools are given.");
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "auto" -> ToolChoice.AUTO;
                case "none" -> ToolChoice.NONE;
                case "required" -> ToolChoice.ANY;
                default -> throw invalid("tool_choice", "tool_choice must be 'auto', 'none', 'required' or a function.");
            };
        }
        String name = node.path("function").path("name").asText("");
        if (!"function".equals(node.path("type").asText()) || name.isEmpty()) {
            throw invalid("tool_choice", "A tool_choice object is {\"type\": \"function\", \"function\": {\"name\": ...}}.");
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw invalid("tool_choice.function.name", "No tool named '" + name + "' is in tools.");
        }
        return ToolChoice.tool(name);
    }

    private static ResponseFormat responseFormat(JsonNode node) {
        if (node == null || node.isNull()) return ResponseFormat.TEXT;
        String type = node.path("type").asText("");
        return switch (type) {
            case "text" -> ResponseFormat.TEXT;
            case "json_object" -> new ResponseFormat("json_object", null, null, null);
            case "json_schema" -> {
                JsonNode js = node.get("json_schema");
                if (js == null || !js.isObject()) throw invalid("response_format.json_schema", "json_schema must be an object.");
                String name = text(js, "name", "response_format.json_schema.name", true);
                JsonNode schema = js.get("schema");
                if (schema == null || !schema.isObject()) {
                    throw invalid("response_format.json_schema.schema", "json_schema.schema must be a JSON Schema object.");
                }
                yield new ResponseFormat("json_schema", name, js.path("description").asText(""), schema);
            }
            default -> throw invalid("response_format.type", "response_format.type must be text, json_object or json_schema.");
        };
    }

    private static Long maxTokens(JsonNode body) {
        for (String name : List.of("max_completion_tokens", "max_tokens")) {
            JsonNode n = body.get(name);
            if (n == null || n.isNull()) continue;
            if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1) {
                throw invalid(name, name + " must be a positive integer.");
            }
            return n.asLong();
        }
        return null;
    }

    private static String text(JsonNode node, String name, boolean required) {
        return text(node, name, name, required);
    }

    private static String text(JsonNode node, String name, String at, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) throw invalid(at, "Missing required parameter: '" + at + "'.");
            return null;
        }
        if (!v.isTextual()) throw invalid(at, at + " must be a string.");
        return v.asText();
    }

    private static boolean bool(JsonNode node, String name) { return bool(node, name, name); }

    private static boolean bool(JsonNode node, String name, String at) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw invalid(at, at + " must be a boolean.");
        return v.asBoolean();
    }

    /** A 400 naming {@code param} (null: the body as a whole). */
    static ApiProblem invalid(String param, String message) {
        return ApiProblem.badRequest(message, param == null ? List.of() : List.of(new Problem.InvalidParam(param, message)));
    }
}
