package io.sigil.llm;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/** Structured output: the response text must be one JSON value valid against {@code schema}. */
public record OutputSchema(String name, JsonNode schema) {
    public OutputSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schema, "schema");
    }
}
