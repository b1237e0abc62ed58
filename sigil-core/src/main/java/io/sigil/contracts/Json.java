package io.sigil.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the contracts package (thread-safe, configured once). */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() { }

    /** A Java value (String, Number, Boolean, Map, List, JsonNode, null) as a JSON tree. */
    static JsonNode node(Object value) {
        return value instanceof JsonNode n ? n : MAPPER.valueToTree(value);
    }
}
