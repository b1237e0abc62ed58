package io.sigil.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.function.Function;

/** A tool for tests: fixed name and schema, behaviour given as a function. */
record FakeTool(String name, JsonNode inputSchema, Duration timeout, Function<JsonNode, String> body) implements Tool {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A tool taking {@code {"text": string}} (required). */
    static FakeTool withText(String name, Function<JsonNode, String> body) {
        try {
            return new FakeTool(name, JSON.readTree("""
                    {"type":"object","properties":{"text":{"type":"string"}},"required":["text"],
                     "additionalProperties":false}"""), Duration.ofSeconds(5), body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    FakeTool withTimeout(Duration t) { return new FakeTool(name, inputSchema, t, body); }

    @Override
    public String description() { return "test tool " + name; }

    @Override
    public String execute(JsonNode arguments) { return body.apply(arguments); }
}
