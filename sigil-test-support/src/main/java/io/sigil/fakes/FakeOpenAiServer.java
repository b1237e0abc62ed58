package io.sigil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Speaks the OpenAI chat completions API ({@code POST /v1/chat/completions}), as OpenAI, Ollama, vLLM and LM Studio
 * serve it: JSON responses, {@code chat.completion.chunk} SSE streams ending in {@code data: [DONE]} (with a usage
 * chunk when {@code stream_options.include_usage} is set), function tool calls, and
 * {@code {"error":{...}}} bodies with an {@code x-request-id} header.
 */
public final class FakeOpenAiServer extends FakeLlmServer {
    private static final long CREATED = 1_700_000_000L;

    public FakeOpenAiServer() { this(0); }

    public FakeOpenAiServer(int port) { super(port, "/v1/chat/completions"); }

    @Override
    public String provider() { return "openai"; }

    @Override
    public String baseUrl() { return origin() + "/v1"; }

    @Override
    protected String requestIdHeader() { return "x-request-id"; }

    @Override
    protected String requestIdPrefix() { return "req_"; }

    @Override
    protected byte[] errorBody(int status, String type, String message) {
        ObjectNode body = object();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", type);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected JsonNode responseBody(JsonNode request, FakeReply reply, String requestId) {
        ObjectNode completion = shell(request, requestId, "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        message.putNull("refusal");
        String text = text(reply);
        if (text == null) {
            message.putNull("content");
            FakeReply.ToolUse use = (FakeReply.ToolUse) reply;
            ObjectNode call = message.putArray("tool_calls").addObject().put("id", use.id()).put("type", "function");
            call.putObject("function").put("name", use.name()).put("arguments", use.argumentsJson());
        } else {
            message.put("content", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", text == null ? "tool_calls" : "stop");
        completion.set("usage", usage(request, reply));
        return completion;
    }

    @Override
    protected List<String> streamEvents(JsonNode request, FakeReply reply, String requestId) {
        List<String> events = new ArrayList<>();
        ObjectNode first = chunk(request, requestId);
        ((ObjectNode) first.path("choices").get(0).path("delta")).put("role", "assistant").put("content", "");
        events.add(sse(null, first));
        String text = text(reply);
        if (text != null) {
            for (String piece : FakeAnthropicServer.pieces(text)) {
                ObjectNode chunk = chunk(request, requestId);
                ((ObjectNode) chunk.path("choices").get(0).path("delta")).put("content", piece);
                events.add(sse(null, chunk));
            }
        } else {
            FakeReply.ToolUse use = (FakeReply.ToolUse) reply;
            ObjectNode head = chunk(request, requestId);
            ObjectNode call = ((ObjectNode) head.path("choices").get(0).path("delta")).putArray("tool_calls").addObject()
                    .put("index", 0).put("id", use.id()).put("type", "function");
            call.putObject("function").put("name", use.name()).put("arguments", "");
            events.add(sse(null, head));
            for (String piece : FakeAnthropicServer.pieces(use.argumentsJson())) {
                ObjectNode chunk = chunk(request, requestId);
                ((ObjectNode) chunk.path("choices").get(0).path("delta")).putArray("tool_calls").addObject()
                        .put("index", 0).putObject("function").put("arguments", piece);
                events.add(sse(null, chunk));
            }
        }
        ObjectNode last = chunk(request, requestId);
        ((ObjectNode) last.path("choices").get(0)).put("finish_reason", text == null ? "tool_calls" : "stop");
        events.add(sse(null, last));
        if (request.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = shell(request, requestId, "chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", usage(request, reply));
            events.add(sse(null, usage));
        }
        events.add("data: [DONE]\n\n");
        return events;
    }

    /** The message text of a reply, or null for a tool call. */
    private static String text(FakeReply reply) {
        return switch (reply) {
            case FakeReply.Text t -> t.text();
            case FakeReply.Json j -> j.json();
            case FakeReply.ToolUse u -> null;
            default -> throw new IllegalArgumentException("not a content reply: " + reply);
        };
    }

    private static ObjectNode shell(JsonNode request, String requestId, String object) {
        return object().put("id", "chatcmpl-" + requestId).put("object", object).put("created", CREATED)
                .put("model", request.path("model").asText("gpt-fake")).put("system_fingerprint", "fp_fake");
    }

    private static ObjectNode chunk(JsonNode request, String requestId) {
        ObjectNode chunk = shell(request, requestId, "chat.completion.chunk");
        ArrayNode choices = chunk.putArray("choices");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return chunk;
    }

    private static ObjectNode usage(JsonNode request, FakeReply reply) {
        long input = reply instanceof FakeReply.Text t && t.inputTokens() > 0 ? t.inputTokens() : estimateInput(request);
        String text = text(reply);
        long output = reply instanceof FakeReply.Text t && t.outputTokens() > 0 ? t.outputTokens()
                : Math.max(1, estimate(text == null ? ((FakeReply.ToolUse) reply).argumentsJson() : text));
        return object().put("prompt_tokens", input).put("completion_tokens", output).put("total_tokens", input + output);
    }
}
