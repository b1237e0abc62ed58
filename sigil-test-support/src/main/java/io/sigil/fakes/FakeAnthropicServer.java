package io.sigil.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Speaks the Anthropic Messages API ({@code POST /v1/messages}): JSON responses, the SSE event sequence
 * (message_start, content_block_start/delta/stop, ping, message_delta, message_stop), tool_use blocks,
 * usage with prompt-cache counts, and {@code {"type":"error","error":{...}}} bodies with a {@code request-id} header.
 */
public final class FakeAnthropicServer extends FakeLlmServer {
    private final Set<String> cachedPrefixes = ConcurrentHashMap.newKeySet();

    public FakeAnthropicServer() { this(0); }

    public FakeAnthropicServer(int port) { super(port, "/v1/messages"); }

    @Override
    public String provider() { return "anthropic"; }

    @Override
    public String baseUrl() { return origin(); }

    @Override
    protected String requestIdHeader() { return "request-id"; }

    @Override
    protected String requestIdPrefix() { return "req_fake_"; }

    @Override
    protected byte[] errorBody(int status, String type, String message) {
        ObjectNode body = object().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected JsonNode responseBody(JsonNode request, FakeReply reply, String requestId) {
        ObjectNode message = messageShell(request, requestId);
        ArrayNode content = message.putArray("content");
        List<JsonNode> blocks = blocks(request, reply, requestId);
        content.addAll(blocks);
        message.put("stop_reason", stopReason(blocks));
        message.set("usage", usage(request, reply, blocks));
        return message;
    }

    @Override
    protected List<String> streamEvents(JsonNode request, FakeReply reply, String requestId) {
        List<JsonNode> blocks = blocks(request, reply, requestId);
        ObjectNode usage = usage(request, reply, blocks);
        List<String> events = new ArrayList<>();
        ObjectNode start = messageShell(request, requestId);
        start.putArray("content");
        start.putNull("stop_reason");
        ObjectNode startUsage = usage.deepCopy().put("output_tokens", 1);
        start.set("usage", startUsage);
        events.add(sse("message_start", object().put("type", "message_start").set("message", start)));
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            boolean tool = "tool_use".equals(block.path("type").asText());
            ObjectNode empty = block.deepCopy();
            if (tool) empty.putObject("input");
            else empty.put("text", "");
            events.add(sse("content_block_start", object().put("type", "content_block_start").put("index", i)
                    .set("content_block", empty)));
            if (i == 0) events.add(sse("ping", object().put("type", "ping")));
            for (String piece : pieces(tool ? block.path("input").toString() : block.path("text").asText())) {
                ObjectNode delta = tool ? object().put("type", "input_json_delta").put("partial_json", piece)
                        : object().put("type", "text_delta").put("text", piece);
                events.add(sse("content_block_delta", object().put("type", "content_block_delta").put("index", i)
                        .set("delta", delta)));
            }
            events.add(sse("content_block_stop", object().put("type", "content_block_stop").put("index", i)));
        }
        ObjectNode delta = object().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(blocks)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", usage.path("output_tokens").asLong());
        events.add(sse("message_delta", delta));
        events.add(sse("message_stop", object().put("type", "message_stop")));
        return events;
    }

    /** Splits text into word-sized pieces, the way deltas arrive from a real model. */
    static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                pieces.add(text.substring(start, i));
                start = i;
            }
        }
        return pieces;
    }

    private ObjectNode messageShell(JsonNode request, String requestId) {
        ObjectNode message = object().put("id", "msg_" + requestId).put("type", "message").put("role", "assistant")
                .put("model", request.path("model").asText("claude-fake"));
        message.putNull("stop_sequence");
        return message;
    }

    private List<JsonNode> blocks(JsonNode request, FakeReply reply, String requestId) {
        return switch (reply) {
            case FakeReply.Text t -> List.of(object().put("type", "text").put("text", t.text()));
            case FakeReply.ToolUse u -> List.of(toolUse(u.id(), u.name(), u.argumentsJson()));
            case FakeReply.Json j -> {
                JsonNode choice = request.path("tool_choice");
                yield "tool".equals(choice.path("type").asText())
                        ? List.of(toolUse("toolu_" + requestId, choice.path("name").asText(), j.json()))
                        : List.of(object().put("type", "text").put("text", j.json()));
            }
            default -> throw new IllegalArgumentException("not a content reply: " + reply);
        };
    }

    private static JsonNode toolUse(String id, String name, String argumentsJson) {
        try {
            return object().put("type", "tool_use").put("id", id).put("name", name)
                    .set("input", JSON.readTree(argumentsJson));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool arguments are not JSON: " + argumentsJson, e);
        }
    }

    private static String stopReason(List<JsonNode> blocks) {
        return blocks.stream().anyMatch(b -> "tool_use".equals(b.path("type").asText())) ? "tool_use" : "end_turn";
    }

    /**
     * Usage like the API's: when the request marks its system prompt or tools with cache_control, the first
     * request with that prefix writes the cache and later ones read it.
     */
    private ObjectNode usage(JsonNode request, FakeReply reply, List<JsonNode> blocks) {
        long input = reply instanceof FakeReply.Text t && t.inputTokens() > 0 ? t.inputTokens() : estimateInput(request);
        long output = reply instanceof FakeReply.Text t && t.outputTokens() > 0 ? t.outputTokens()
                : Math.max(1, blocks.stream().mapToLong(b -> estimate(b.has("text") ? b.path("text").asText()
                        : b.path("input").toString())).sum());
        long cacheWrite = 0;
        long cacheRead = 0;
        String prefix = cachedPrefix(request);
        if (prefix != null) {
            if (cachedPrefixes.add(prefix)) cacheWrite = estimate(prefix);
            else cacheRead = estimate(prefix);
        }
        return object().put("input_tokens", input).put("output_tokens", output)
                .put("cache_creation_input_tokens", cacheWrite).put("cache_read_input_tokens", cacheRead);
    }

    private static String cachedPrefix(JsonNode request) {
        StringBuilder prefix = new StringBuilder();
        boolean marked = false;
        for (JsonNode tool : request.path("tools")) {
            prefix.append(tool.toString());
            marked |= tool.has("cache_control");
        }
        JsonNode system = request.path("system");
        if (system.isArray()) {
            for (JsonNode block : system) {
                prefix.append(block.path("text").asText());
                marked |= block.has("cache_control");
            }
        }
        return marked ? prefix.toString() : null;
    }
}
