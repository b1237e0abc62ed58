package io.sigil.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The stable JSON form of an {@link Event}, the same in every store and on the wire:
 * <pre>{"schema_version":1,"event_id":"…","event_type":"message.added","timestamp":"2026-01-11T10:00:00.123456Z",
 *  "session_id":"…","agent_id":"…","correlation_id":"…","payload":{…}}</pre>
 * Field names never change within a schema version; {@code agent_id} and {@code correlation_id} are left out
 * when absent. Types are written as given, so unknown (newer) types pass through.
 */
public final class EventCodec {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final ObjectMapper mapper;

    public EventCodec() {
        this.mapper = new ObjectMapper().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    public byte[] encode(Event e) {
        var out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schema_version", e.schemaVersion());
            g.writeStringField("event_id", e.eventId().toString());
            g.writeStringField("event_type", e.eventType());
            g.writeStringField("timestamp", e.timestamp().toString());
            g.writeStringField("session_id", e.sessionId());
            if (e.agentId() != null) g.writeStringField("agent_id", e.agentId());
            if (e.correlationId() != null) g.writeStringField("correlation_id", e.correlationId());
            g.writeFieldName("payload");
            mapper.writeValue(g, e.payload());
            g.writeEndObject();
        } catch (JsonProcessingException ex) {
            throw new InvalidInputError("the payload of a " + e.eventType() + " event cannot be written as JSON: "
                    + ex.getOriginalMessage(), "payload values must be JSON values (maps, lists, strings, numbers, booleans, null)");
        } catch (IOException ex) {
            throw new IllegalStateException(ex); // in-memory stream
        }
        return out.toByteArray();
    }

    public Event decode(byte[] json, int offset, int length) {
        Map<String, Object> m;
        try {
            m = mapper.readValue(json, offset, length, MAP);
        } catch (IOException ex) {
            throw new StateError("a stored event is not valid JSON: " + ex.getMessage(),
                    "run 'sigil verify' to locate the damaged record");
        }
        return fromMap(m);
    }

    public Event decode(byte[] json) { return decode(json, 0, json.length); }

    public String toJson(Event e) { return new String(encode(e), java.nio.charset.StandardCharsets.UTF_8); }

    /** A recorded event as JSON, with its store-assigned version and position (for CLI and API output). */
    public Map<String, Object> toMap(RecordedEvent r) {
        Map<String, Object> m = new LinkedHashMap<>(asMap(r.event()));
        m.put("version", r.version());
        m.put("position", r.position());
        return m;
    }

    public Map<String, Object> asMap(Event e) {
        try {
            return mapper.readValue(encode(e), MAP);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public ObjectMapper mapper() { return mapper; }

    @SuppressWarnings("unchecked")
    private static Event fromMap(Map<String, Object> m) {
        try {
            Object payload = m.get("payload");
            return new Event(
                    UUID.fromString(required(m, "event_id")),
                    required(m, "event_type"),
                    Instant.parse(required(m, "timestamp")),
                    required(m, "session_id"),
                    (String) m.get("agent_id"),
                    (String) m.get("correlation_id"),
                    payload instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of(),
                    m.get("schema_version") instanceof Number n ? n.intValue() : 1);
        } catch (RuntimeException ex) {
            if (ex instanceof StateError se) throw se;
            throw new StateError("a stored event has an invalid field: " + ex.getMessage(),
                    "run 'sigil verify' to locate the damaged record");
        }
    }

    private static String required(Map<String, Object> m, String field) {
        if (m.get(field) instanceof String s) return s;
        throw new StateError("a stored event has no '" + field + "'", "run 'sigil verify' to locate the damaged record");
    }
}
