package io.sigil.llm.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Makes one deterministic JSON value valid against a JSON Schema, for the offline test model's structured output
 * and tool arguments. Prefers what the schema itself offers ({@code const}, {@code examples}, {@code default},
 * {@code enum}), else builds a value by type honouring minimums, maximums, lengths, formats, required and nested
 * objects and arrays, and local {@code $ref}s. {@code pattern} is not solved.
 */
final class SchemaSampler {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 12;

    private final JsonNode root;

    SchemaSampler(JsonNode root) { this.root = root; }

    JsonNode sample() { return sample(root, 0, 0); }

    /** {@code variant} > 0 makes a value differ from variant 0, for arrays whose items must be unique. */
    private JsonNode sample(JsonNode schema, int depth, int variant) {
        if (schema == null || schema.isMissingNode() || depth > MAX_DEPTH) return NODES.nullNode();
        if (schema.isBoolean()) return NODES.objectNode();
        if (schema.has("$ref")) return sample(resolve(schema.path("$ref").asText()), depth + 1, variant);
        if (schema.has("const")) return schema.get("const");
        if (schema.path("examples").isArray() && !schema.path("examples").isEmpty()) return schema.path("examples").get(0);
        if (schema.has("example")) return schema.get("example");
        if (schema.has("default")) return schema.get("default");
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) {
            return schema.path("enum").get(variant % schema.path("enum").size());
        }
        for (String alternative : new String[] {"oneOf", "anyOf"}) {
            if (schema.path(alternative).isArray() && !schema.path(alternative).isEmpty()) {
                return sample(schema.path(alternative).get(0), depth + 1, variant);
            }
        }
        if (schema.path("allOf").isArray()) return allOf(schema, depth, variant);
        return switch (type(schema)) {
            case "object" -> object(schema, depth, variant);
            case "array" -> array(schema, depth);
            case "integer" -> NODES.numberNode(number(schema, true, variant).longValue());
            case "number" -> NODES.numberNode(number(schema, false, variant));
            case "boolean" -> NODES.booleanNode(variant % 2 == 0);
            case "null" -> NODES.nullNode();
            default -> NODES.textNode(string(schema, variant));
        };
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isTextual()) return type.asText();
        if (type.isArray()) {
            for (JsonNode t : type) if (!"null".equals(t.asText())) return t.asText();
            return "null";
        }
        if (schema.has("properties") || schema.has("required")) return "object";
        if (schema.has("items")) return "array";
        if (schema.has("minimum") || schema.has("maximum")) return "number";
        return "string";
    }

    private ObjectNode object(JsonNode schema, int depth, int variant) {
        ObjectNode out = NODES.objectNode();
        for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
            out.set(p.getKey(), sample(p.getValue(), depth + 1, variant));
        }
        for (JsonNode name : schema.path("required")) {
            if (!out.has(name.asText())) out.put(name.asText(), "test");
        }
        return out;
    }

    private ArrayNode array(JsonNode schema, int depth) {
        ArrayNode out = NODES.arrayNode();
        int min = schema.path("minItems").asInt(1);
        int count = schema.has("maxItems") ? Math.min(Math.max(min, 1), schema.path("maxItems").asInt()) : Math.max(min, 1);
        boolean unique = schema.path("uniqueItems").asBoolean(false);
        for (int i = 0; i < count; i++) out.add(sample(schema.path("items"), depth + 1, unique ? i : 0));
        return out;
    }

    private JsonNode allOf(JsonNode schema, int depth, int variant) {
        ObjectNode merged = NODES.objectNode();
        for (JsonNode part : schema.path("allOf")) {
            JsonNode value = sample(part, depth + 1, variant);
            if (!(value instanceof ObjectNode o)) return value;
            merged.setAll(o);
        }
        return merged;
    }

    private static BigDecimal number(JsonNode schema, boolean integer, int variant) {
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal step = schema.has("multipleOf") ? schema.path("multipleOf").decimalValue()
                : integer ? BigDecimal.ONE : new BigDecimal("0.5");
        if (schema.has("minimum")) value = schema.path("minimum").decimalValue();
        if (schema.has("exclusiveMinimum") && schema.path("exclusiveMinimum").isNumber()) {
            value = schema.path("exclusiveMinimum").decimalValue().add(step);
        }
        if (schema.has("multipleOf")) {
            BigDecimal m = schema.path("multipleOf").decimalValue();
            value = value.divide(m, 0, java.math.RoundingMode.CEILING).multiply(m);
        }
        value = value.add(step.multiply(BigDecimal.valueOf(variant)));
        if (schema.has("maximum") && value.compareTo(schema.path("maximum").decimalValue()) > 0) {
            value = schema.path("maximum").decimalValue();
        }
        if (schema.has("exclusiveMaximum") && schema.path("exclusiveMaximum").isNumber()
                && value.compareTo(schema.path("exclusiveMaximum").decimalValue()) >= 0) {
            value = schema.path("exclusiveMaximum").decimalValue().subtract(step);
        }
        return integer ? value.setScale(0, java.math.RoundingMode.CEILING) : value;
    }

    private static String string(JsonNode schema, int variant) {
        String value = switch (schema.path("format").asText("")) {
            case "date-time" -> "2024-01-01T00:00:00Z";
            case "date" -> "2024-01-01";
            case "time" -> "00:00:00Z";
            case "email" -> "test@example.com";
            case "uri", "url" -> "https://example.com/test";
            case "uuid" -> "00000000-0000-4000-8000-000000000000";
            case "ipv4" -> "127.0.0.1";
            default -> "test";
        };
        int min = schema.path("minLength").asInt(0);
        StringBuilder sb = new StringBuilder(value);
        String suffix = variant == 0 ? "" : String.valueOf(variant);
        while (sb.length() < min) sb.append('x');
        if (schema.has("maxLength") && sb.length() > schema.path("maxLength").asInt()) {
            sb.setLength(schema.path("maxLength").asInt());
        }
        if (!suffix.isEmpty()) sb.replace(Math.max(0, sb.length() - suffix.length()), sb.length(), suffix);
        return sb.toString();
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) return NODES.objectNode();
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? NODES.objectNode() : target;
    }
}
