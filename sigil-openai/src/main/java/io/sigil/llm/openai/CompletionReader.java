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
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "model" -> s.model = p.getValueAsString();
                    case "choices" -> choices(p, s);
                    case "usage" -> s.usage = usage(p);
                    default -> p.skipChildren();
                }
            }
            if (!s.choices) return problem("no choices");
            if (s.finishReason == null) return problem("the first choice has no finish_reason");
            return new Completion(s.text == null ? "" : s.text, s.calls, s.finishReason, s.usage, s.model, null);
        }
    }

    private static Completion problem(String problem) { return new Completion("", List.of(), null, Usage.ZERO, null, problem); }

    /** The fields of the first choice gathered while reading. */
    private static final class State {
        boolean choices;
        String text;
        List<Call> calls = List.of();
        String finishReason;
        Usage usage = Usage.ZERO;
        String model;
    }

    private static void choices(JsonParser p, State s) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (s.choices || p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren(); // only the first choice is used (n = 1)
                continue;
            }
            s.choices = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "message" -> message(p, s);
                    case "finish_reason" -> s.finishReason = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
        }
    }

    private static void message(JsonParser p, State s) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "content" -> s.text = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                case "tool_calls" -> s.calls = toolCalls(p);
                default -> p.skipChildren();
            }
        }
    }

    private static List<Call> toolCalls(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<Call> calls = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String id = null, type = null;
            String[] function = {null, null}; // name, arguments
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id" -> id = p.getValueAsString();
                    case "type" -> type = p.getValueAsString();
                    case "function" -> function(p, function);
                    default -> p.skipChildren();
                }
            }
            // Custom (non-function) tool calls are not Sigil's: Sigil declares function tools only.
            if (function[0] != null && (type == null || type.equals("function"))) {
                calls.add(new Call(id, function[0], function[1] == null ? "" : function[1]));
            }
        }
        return calls;
    }

    private static void function(JsonParser p, String[] nameAndArguments) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> nameAndArguments[0] = p.getValueAsString();
                case "arguments" -> nameAndArguments[1] = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
    }

    private static Usage usage(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Usage.ZERO;
        }
        long input = 0, output = 0, cached = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "prompt_tokens" -> input = p.getValueAsLong();
                case "completion_tokens" -> output = p.getValueAsLong();
                case "prompt_tokens_details" -> cached = cachedTokens(p);
                default -> p.skipChildren();
            }
        }
        return new Usage(input, output, cached, 0);
    }

    private static long cachedTokens(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return 0;
        }
        long cached = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("cached_tokens")) cached = p.getValueAsLong();
            else p.skipChildren();
        }
        return cached;
    }
}
