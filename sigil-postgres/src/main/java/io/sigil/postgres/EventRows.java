package io.sigil.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.StateError;
import io.sigil.events.Event;
import io.sigil.events.EventCodec;
import io.sigil.events.RecordedEvent;

import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * Events as rows of the {@code events} table: the envelope in columns, the payload as JSONB written by the
 * event codec's mapper, so an event reads back equal to what was appended (timestamps keep microseconds).
 */
final class EventRows {
    /** The columns {@link #read} expects, in this order. */
    static final String COLUMNS = "event_id, event_type, timestamp, session_id, agent_id, correlation_id, "
            + "payload::text, schema_version, version, position";

    private final EventCodec codec = new EventCodec();
    private final ObjectMapper mapper = codec.mapper();

    /** The payload as JSON text, or a clear error when a value is not JSON. */
    String payloadJson(Event e) {
        try {
            return mapper.writeValueAsString(e.payload());
        } catch (JsonProcessingException ex) {
            throw new InvalidInputError("the payload of a " + e.eventType() + " event cannot be written as JSON: "
                    + ex.getOriginalMessage(), "payload values must be JSON values (maps, lists, strings, numbers, booleans, null)");
        }
    }

    RecordedEvent read(ResultSet rs) throws SQLException {
        Map<String, Object> payload;
        try {
            payload = codec.decodePayload(rs.getBytes(7)); // the text's UTF-8 bytes as received: no String in between
        } catch (IOException ex) {
            throw new StateError("the payload of event " + rs.getString(1) + " in PostgreSQL is not valid JSON",
                    "the row was changed outside Sigil; restore it from a backup");
        }
        Event e = new Event(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getString(4), rs.getString(5), rs.getString(6), payload, rs.getInt(8));
        return new RecordedEvent(e, rs.getLong(9), rs.getLong(10));
    }
}
