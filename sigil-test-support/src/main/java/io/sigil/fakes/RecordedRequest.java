package io.sigil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** One request a fake server received: header names are lower case; {@code body} is the raw text. */
public record RecordedRequest(String method, String path, Map<String, List<String>> headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("request body is not JSON: " + body, e);
        }
    }
}
