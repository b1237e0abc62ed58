package io.sigil.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** A tool call the model asked for. {@code arguments} is the parsed JSON input object. */
public record ToolCall(String id, String name, JsonNode arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(arguments, "arguments");
    }
}
