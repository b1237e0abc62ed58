package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's stream message as it travels between replicas: {@code {"type": ..., "data": ...}}. The follower gives it
 * its own sequence number and timestamp, as every stream does per connection.
 */
record RelayedMessage(String type, JsonNode data) {

    static String write(ObjectMapper mapper, String type, Object data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("data", data);
        try {
            return mapper.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalArgumentException("a run message that does not serialize: " + type, e);
        }
    }

    static RelayedMessage read(ObjectMapper mapper, String json) throws IOException {
        JsonNode n = mapper.readTree(json);
        return new RelayedMessage(n.path("type").asText(), n.get("data"));
    }
}
