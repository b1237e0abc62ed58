package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.resource.DisallowSchemaLoader;

import java.util.Objects;

/**
 * An optional JSON Schema (draft 2020-12) for one deliverable, compiled once when the contract is built. Only
 * self-contained schemas are allowed (local {@code $ref}s to {@code #/$defs/...}); external references are refused.
 */
public record DeliverableSchema(JsonNode json, JsonSchema compiled) {
    public DeliverableSchema {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(compiled, "compiled");
    }

    public static DeliverableSchema of(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("json_schema must be an object (a JSON Schema), got " + json);
        }
        // A contract file must not make Sigil fetch URLs or read files: every external $ref is refused.
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaLoaders(loaders -> loaders.add(DisallowSchemaLoader.getInstance())));
        JsonSchema compiled = factory.getSchema(json);
        compiled.initializeValidators(); // surface schema mistakes at load time, not at the first validation
        return new DeliverableSchema(json, compiled);
    }

    @Override
    public boolean equals(Object o) { return o instanceof DeliverableSchema d && d.json.equals(json); }

    @Override
    public int hashCode() { return json.hashCode(); }
}
