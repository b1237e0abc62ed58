package io.sigil.server.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.contracts.Contract;
import io.sigil.contracts.Deliverable;
import io.sigil.contracts.TypeSpec;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An OpenAI {@code response_format} as a contract for one request. A {@code json_schema} becomes one deliverable per
 * top-level property (required as the schema says), each checked against its own sub-schema (with the root's
 * {@code $defs}, so local references resolve); a {@code json_object} becomes a contract without deliverables: any
 * JSON object. Sigil then validates, retries and reports the output as for any contract.
 */
final class SchemaContracts {
    private static final Map<String, String> TYPES = Map.of("string", "str", "integer", "int", "number", "float",
            "boolean", "bool", "object", "dict", "array", "list");
    private static final String PARAM = "response_format.json_schema.schema";

    private SchemaContracts() { }

    static Contract jsonObject() {
        return Contract.builder("json_object").description("Any JSON object").build();
    }

    static Contract of(ChatCompletionRequest.ResponseFormat format) {
        JsonNode schema = format.schema();
        JsonNode properties = schema.get("properties");
        if (!"object".equals(schema.path("type").asText()) || properties == null || !properties.isObject()
                || properties.isEmpty()) {
            throw ChatCompletionRequest.invalid(PARAM, "Sigil holds the output to a contract whose deliverables are the"
                    + " schema's top-level properties: the schema must be {\"type\": \"object\", \"properties\": {...}}"
                    + " with at least one property.");
        }
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        Contract.Builder contract = Contract.builder(name(format.name()))
                .description(format.description() == null ? "" : format.description());
        for (var e : properties.properties()) {
            String name = e.getKey();
            JsonNode sub = e.getValue();
            if (!Contract.isValidName(name.replace('.', '_')) || !sub.isObject()) {
                throw ChatCompletionRequest.invalid(PARAM + ".properties." + name, "A property name must start with a"
                        + " letter and use letters, digits, '_' or '-' (at most 64), and its schema must be an object.");
            }
            try {
                contract.deliverable(Deliverable.builder(name, type(sub)).required(required.contains(name))
                        .description(sub.path("description").asText("")).jsonSchema(withDefs(sub, schema)));
            } catch (RuntimeException ex) {
                throw ChatCompletionRequest.invalid(PARAM + ".properties." + name, "Invalid JSON Schema: " + ex.getMessage());
            }
        }
        return contract.build();
    }

    /** The deliverable's base type from the schema's {@code type}; {@code any} when it names none or several. */
    private static TypeSpec type(JsonNode sub) {
        String t = sub.path("type").isTextual() ? TYPES.get(sub.path("type").asText()) : null;
        return TypeSpec.parse(t == null ? "any" : t);
    }

    private static JsonNode withDefs(JsonNode sub, JsonNode root) {
        if (!root.has("$defs") && !root.has("definitions")) return sub;
        ObjectNode copy = ((ObjectNode) sub).deepCopy();
        if (root.has("$defs")) copy.set("$defs", root.get("$defs"));
        if (root.has("definitions")) copy.set("definitions", root.get("definitions"));
        return copy;
    }

    /** OpenAI's schema names allow a leading digit, contract names do not. */
    private static String name(String name) {
        if (Contract.isValidName(name)) return name;
        String cleaned = ("schema_" + name).replaceAll("[^A-Za-z0-9_-]", "_");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
