package io.sigil.contracts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a YAML or JSON document into a Jackson tree while recording the line of every path
 * ({@code deliverables[1].rules[0]}), so that problems found later can point at the line to fix.
 */
final class LocatedTree {
    final JsonNode root;
    final Map<String, Integer> lines = new HashMap<>();

    private LocatedTree(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        root = first == null ? JsonNodeFactory.instance.missingNode() : value(p, "");
    }

    static LocatedTree read(JsonFactory factory, String text) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            return new LocatedTree(p);
        }
    }

    private JsonNode value(JsonParser p, String path) throws IOException {
        lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String at = path.isEmpty() ? key : path + "." + key;
                    lines.put(at, p.currentTokenLocation().getLineNr()); // the line of 'key:', not of its value
                    p.nextToken();
                    o.set(key, value(p, at));
                }
                yield o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(value(p, path + "[" + i++ + "]"));
                yield a;
            }
            case VALUE_STRING -> f.textNode(p.getText());
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? f.numberNode(p.getBigIntegerValue()) : f.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> f.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> f.booleanNode(true);
            case VALUE_FALSE -> f.booleanNode(false);
            case VALUE_NULL -> f.nullNode();
            default -> f.textNode(p.getText());
        };
    }
}
