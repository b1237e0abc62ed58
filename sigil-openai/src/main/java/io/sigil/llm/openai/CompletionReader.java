package io.sigil.llm.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sigil.llm.Usage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what Sigil uses of a (non-streamed) chat completion body in one streaming pass: the first choice's text,
 * function tool calls and finish reason, the usage and the model; everything else is skipped unread. The SDK's own
 * parse builds its whole Kotlin model through reflection, which was about a third of the bytes a call allocates.
 * Thread-safe: the factory is shared, each read has its own parser.
 */
final class CompletionReader {
    /** What a completion said; {@code problem} is non-null when the body lacks what every completion has. */
    record Completion(String text, List<Call> toolCalls, String finishReason, Usage usage, String model, String problem) { }

    /** A function tool call as sent: its arguments are still JSON text. */
    record Call(String id, String name, String arguments) { }

    private final JsonFactory json;

    CompletionReader(JsonFactory json) { this.json = json; }

    /** @throws IOException when the body cannot be read or is not JSON (Jackson's exceptions say which) */
    Completion read(InputStream body) throws IOException {
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return problem("the body is not a JSON object");
            State s = new State();
            object(p, field -> switch (field) {
                case "model" -> { s.model = p.getValueAsString(); yield true; }
                case "choices" -> { array(p, () -> choice(p, s)); yield true; }
                case "usage" -> { s.usage = usage(p); yield true; }
                default -> false;
            });
            if (!s.choices) return problem("no choices");
            if (s.finishReason == null) return problem("the first choice has no finish_reason");
            return new Completion(s.text == null ? "" : s.text, s.calls, s.finishReason, s.usage, s.model, null);
        }
    }

    private static Completion problem(String problem) { return new Completion("", List.of(), null, Usage.ZERO, null, problem); }

    /** What is gathered while reading. */
    private static final class State {
        boolean choices;
        String text;
        List<Call> calls = new ArrayList<>();
        String finishReason;
        Usage usage = Usage.ZERO;
        String model;
        String id, type, name, arguments; // of the tool call being read
    }

    /** Reads a member's value (the parser is on it) and says whether it did; unread values are skipped. */
    @FunctionalInterface
    private interface Member { boolean read(String name) throws IOException; }

    /** Reads an array element (the parser is on it). */
    @FunctionalInterface
    private interface Element { void read() throws IOException; }

    /** The members of the object the parser is on; a value that is not an object is skipped. */
    private static void object(JsonParser p, Member member) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (!member.read(name)) p.skipChildren();
        }
    }

    /** The elements of the array the parser is on; a value that is not an array is skipped. */
    private static void array(JsonParser p, Element element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) element.read();
    }

    /** Only the first choice is used (Sigil asks for one). */
    private static void choice(JsonParser p, State s) throws IOException {
        if (s.choices || p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        s.choices = true;
        object(p, field -> switch (field) {
            case "message" -> { object(p, m -> message(p, s, m)); yield true; }
            case "finish_reason" -> { s.finishReason = p.getValueAsString(); yield true; }
            default -> false;
        });
    }

    private static boolean message(JsonParser p, State s, String field) throws IOException {
        switch (field) {
            case "content" -> s.text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
            case "tool_calls" -> array(p, () -> toolCall(p, s));
            default -> { return false; }
        }
        return true;
    }

    private static void toolCall(JsonParser p, State s) throws IOException {
        s.id = s.type = s.name = s.arguments = null;
        object(p, field -> switch (field) {
            case "id" -> { s.id = p.getValueAsString(); yield true; }
            case "type" -> { s.type = p.getValueAsString(); yield true; }
            case "function" -> {
                object(p, f -> switch (f) {
                    case "name" -> { s.name = p.getValueAsString(); yield true; }
                    case "arguments" -> { s.arguments = p.getValueAsString(); yield true; }
                    default -> false;
                });
                yield true;
            }
            default -> false;
        });
        // Custom (non-function) tool calls are not Sigil's: Sigil declares function tools only.
        if (s.name != null && (s.type == null || s.type.equals("function"))) {
            s.calls.add(new Call(s.id, s.name, s.arguments == null ? "" : s.arguments));
        }
    }

    private static Usage usage(JsonParser p) throws IOException {
        long[] tokens = new long[3]; // input, output, cached
        object(p, field -> switch (field) {
            case "prompt_tokens" -> { tokens[0] = p.getValueAsLong(); yield true; }
            case "completion_tokens" -> { tokens[1] = p.getValueAsLong(); yield true; }
            case "prompt_tokens_details" -> {
                object(p, d -> {
                    if (!d.equals("cached_tokens")) return false;
                    tokens[2] = p.getValueAsLong();
                    return true;
                });
                yield true;
            }
            default -> false;
        });
        return new Usage(tokens[0], tokens[1], tokens[2], 0);
    }
}
