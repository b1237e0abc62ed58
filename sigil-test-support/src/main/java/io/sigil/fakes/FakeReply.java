package io.sigil.fakes;

import java.time.Duration;
import java.util.Objects;

/**
 * What a fake provider server answers to one request, described without any provider's wire format: each
 * server renders it in its own protocol (JSON or SSE, error bodies, headers).
 */
public sealed interface FakeReply {

    /** A text answer. Token counts of 0 are estimated from the request and the text (4 characters a token). */
    record Text(String text, long inputTokens, long outputTokens) implements FakeReply {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A tool call: {@code argumentsJson} is the JSON object of the tool's input. */
    record ToolUse(String id, String name, String argumentsJson) implements FakeReply {
        public ToolUse {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(argumentsJson, "argumentsJson");
        }
    }

    /**
     * A structured-output answer: the Anthropic server returns it as the input of the tool the request forced
     * (or as text when none was forced); the OpenAI server returns it as the message content.
     */
    record Json(String json) implements FakeReply {
        public Json {
            Objects.requireNonNull(json, "json");
        }
    }

    /** An HTTP error with the provider's error body; {@code retryAfter} (seconds) is sent as a header when not null. */
    record Failure(int status, String type, String message, String retryAfter) implements FakeReply { }

    /** Waits before answering (to exercise timeouts and cancellation). */
    record Slow(Duration delay, FakeReply reply) implements FakeReply { }

    /** Sends the first half of the reply's bytes and drops the connection. */
    record Truncated(FakeReply reply) implements FakeReply { }

    /** A 200 response whose body is not valid JSON. */
    record Malformed() implements FakeReply { }

    static FakeReply text(String text) { return new Text(text, 0, 0); }

    static FakeReply text(String text, long inputTokens, long outputTokens) {
        return new Text(text, inputTokens, outputTokens);
    }

    static FakeReply toolUse(String id, String name, String argumentsJson) {
        return new ToolUse(id, name, argumentsJson);
    }

    static FakeReply json(String json) { return new Json(json); }

    static FakeReply rateLimited(int retryAfterSeconds) {
        return new Failure(429, "rate_limit_error", "Rate limited: too many requests", String.valueOf(retryAfterSeconds));
    }

    static FakeReply overloaded() { return new Failure(529, "overloaded_error", "Overloaded", null); }

    static FakeReply serverError() { return new Failure(500, "api_error", "Internal server error", null); }

    static FakeReply badRequest(String message) { return new Failure(400, "invalid_request_error", message, null); }

    static FakeReply unauthorized() { return new Failure(401, "authentication_error", "invalid x-api-key", null); }

    static FakeReply slow(Duration delay, FakeReply reply) { return new Slow(delay, reply); }

    static FakeReply truncated(FakeReply reply) { return new Truncated(reply); }

    static FakeReply malformed() { return new Malformed(); }
}
