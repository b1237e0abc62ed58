package io.sigil.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
        this.mapper = io.sigil.json.JsonFactories.mapper().build().registerModule(new JavaTimeModule()).registerModule(new Jdk8Module())
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
            write(g, e.payload());
            g.writeEndObject();
        } catch (JsonProcessingException ex) {
            throw new InvalidInputError("the payload of a " + e.eventType() + " event cannot be written as JSON: "
                    + ex.getOriginalMessage(), "payload values must be JSON values (maps, lists, strings, numbers, booleans, null)");
        } catch (IOException ex) {
            throw new IllegalStateException(ex); // in-memory stream
        }
        return out.toByteArray();
    }

    /**
     * Writes a payload value. Plain JSON values (what payloads almost always hold) are written directly, the way
     * the mapper would write them: going through {@code ObjectMapper.writeValue} for each event set up a serializer
     * provider per call and was a third of encoding. Anything else (records, JSON trees, dates) goes to the mapper.
     */
    private void write(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String text -> g.writeString(text);
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case Double d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> map when stringKeys(map) -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    g.writeFieldName((String) entry.getKey());
                    write(g, entry.getValue());
                }
                g.writeEndObject();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object item : list) write(g, item);
                g.writeEndArray();
            }
            default -> mapper.writeValue(g, v);
        }
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) return false;
        }
        return true;
    }

    /** Reads an event with a streaming parser (replay decodes thousands of events, so no intermediate tree). */
    public Event decode(byte[] json, int offset, int length) {
        try (JsonParser p = mapper.getFactory().createParser(json, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw invalid("it is not a JSON object");
            String id = null, type = null, at = null, session = null, agent = null, correlation = null;
            int schema = 1;
            Map<String, Object> payload = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "schema_version" -> schema = p.getIntValue();
                    case "event_id" -> id = text(p, t);
                    case "event_type" -> type = text(p, t);
                    case "timestamp" -> at = text(p, t);
                    case "session_id" -> session = text(p, t);
                    case "agent_id" -> agent = text(p, t);
                    case "correlation_id" -> correlation = text(p, t);
                    case "payload" -> payload = t == JsonToken.START_OBJECT ? Payload.adopt(readObject(p)) : Map.of();
                    default -> p.skipChildren(); // a field of a newer schema version
                }
            }
            return new Event(UUID.fromString(required(id, "event_id")), required(type, "event_type"),
                    instant(required(at, "timestamp")), required(session, "session_id"), agent, correlation,
                    payload, schema);
        } catch (IOException | RuntimeException ex) {
            if (ex instanceof StateError se) throw se;
            throw invalid(ex.getMessage());
        }
    }

    /**
     * A payload kept apart from its envelope (PostgreSQL's {@code payload} column, as UTF-8 JSON), read like
     * {@link #decode} reads it; the caller says what was damaged when it is not a JSON object.
     */
    public Map<String, Object> decodePayload(byte[] json) throws IOException {
        try (JsonParser p = mapper.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("the payload is not a JSON object");
            return Payload.adopt(readObject(p)); // the event made from it keeps this map: no second copy
        }
    }

    /**
     * Parses the form this codec writes ({@code 2026-01-11T10:00:00.123456Z}) directly - Instant.parse is the
     * slowest part of decoding - and anything else with Instant.parse.
     */
    static Instant instant(String s) {
        int n = s.length();
        if (n >= 20 && n <= 30 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z') {
            try {
                int nanos = 0;
                if (n > 20) {
                    if (s.charAt(19) != '.' || n - 21 > 9) return Instant.parse(s);
                    int digits = n - 21;
                    nanos = digits(s, 20, n - 1);
                    for (int i = digits; i < 9; i++) nanos *= 10;
                }
                long epochSecond = java.time.LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10),
                        digits(s, 11, 13), digits(s, 14, 16), digits(s, 17, 19)).toEpochSecond(java.time.ZoneOffset.UTC);
                return Instant.ofEpochSecond(epochSecond, nanos);
            } catch (RuntimeException e) {
                return Instant.parse(s); // the exact error message for a bad value
            }
        }
        return Instant.parse(s);
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new java.time.format.DateTimeParseException("not a digit", s, i);
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? null : p.getText();
    }

    private static LinkedHashMap<String, Object> readObject(JsonParser p) throws IOException {
        var m = new LinkedHashMap<String, Object>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            m.put(k, readValue(p, p.nextToken()));
        }
        return m;
    }

    /** JSON values as Jackson's untyped mapping gives them: maps, lists, String, Integer/Long/BigInteger, Double, Boolean, null. */
    private static Object readValue(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> {
                var l = new ArrayList<Object>();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) l.add(readValue(p, n));
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new IOException("unexpected " + t);
        };
    }

    private static String required(String value, String field) {
        if (value == null) throw invalid("it has no '" + field + "'");
        return value;
    }

    private static StateError invalid(String why) {
        return new StateError("a stored event cannot be read: " + why, "run 'sigil verify' to locate the damaged record");
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

}
