package io.sigil.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.tools.Tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Function;

/** A tool of one of the services: its description, schema and side-effect mark, and the call it makes. */
final class ServiceTool implements Tool {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final String name;
    private final String description;
    private final JsonNode schema;
    private final boolean sideEffects;
    private final Duration timeout;
    private final Function<JsonNode, JsonNode> call;

    ServiceTool(String service, String name, String description, String schema, boolean sideEffects, Duration timeout,
                Function<JsonNode, JsonNode> call) {
        this.service = service;
        this.name = name;
        this.description = description;
        try {
            this.schema = JSON.readTree(schema);
        } catch (IOException e) {
            throw new UncheckedIOException("bad schema of " + name, e);
        }
        this.sideEffects = sideEffects;
        this.timeout = timeout;
        this.call = call;
    }

    @Override public String name() { return name; }
    @Override public String description() { return description; }
    @Override public JsonNode inputSchema() { return schema; }
    @Override public boolean sideEffects() { return sideEffects; }
    @Override public String source() { return "service:" + service; }
    /** The HTTP timeout plus a margin, so the service's own timeout message wins over the executor's. */
    @Override public Duration timeout() { return timeout.plusSeconds(2); }

    @Override
    public String execute(JsonNode arguments) { return call.apply(arguments).toString(); }
}
