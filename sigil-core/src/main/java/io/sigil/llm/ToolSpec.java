package io.sigil.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** A tool offered to the model: its name, what it does, and the JSON Schema of its input object. */
public record ToolSpec(String name, String description, JsonNode inputSchema) {
    public ToolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputSchema, "inputSchema");
        description = description == null ? "" : description;
    }
}
