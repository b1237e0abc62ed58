package io.sigil.postgres;

import io.sigil.events.Event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The rows a group inserts into {@code events}, as the ten arrays that one {@code INSERT ... SELECT FROM unnest(...)}
 * binds (one parameter per column, whatever the number of rows): position (or its offset from the head), event id,
 * session, version, type, timestamp, agent, correlation id, schema version, payload JSON. Typed as the columns
 * ({@code timestamptz[]}, {@code jsonb[]}), so PostgreSQL decodes them when the statement is bound, not while it
 * runs (under the head lock).
 */
final class EventColumns {
    private static final String[] TYPES = {"bigint", "uuid", "text", "bigint", "text", "timestamptz", "text", "text", "int4", "jsonb"};

    private final Object[][] columns;
    private int size;

    EventColumns(int rows) {
        this.columns = new Object[TYPES.length][rows];
    }

    void add(long position, Event e, long version, String payloadJson) {
        columns[0][size] = position;
        columns[1][size] = e.eventId();
        columns[2][size] = e.sessionId();
        columns[3][size] = version;
        columns[4][size] = e.eventType();
        columns[5][size] = e.timestamp().toString();
        columns[6][size] = e.agentId();
        columns[7][size] = e.correlationId();
        columns[8][size] = e.schemaVersion();
        columns[9][size] = payloadJson;
        size++;
    }

    /** Binds the arrays to parameters {@code first} .. {@code first + 9}; returns the next parameter index. */
    int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        for (int k = 0; k < TYPES.length; k++) ps.setArray(first + k, c.createArrayOf(TYPES[k], columns[k]));
        return first + TYPES.length;
    }
}
