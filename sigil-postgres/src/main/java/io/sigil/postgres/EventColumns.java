package io.sigil.postgres;

import io.sigil.events.Event;

import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The rows a group inserts into {@code events}: nine arrays that one {@code INSERT ... SELECT FROM unnest(...) WITH
 * ORDINALITY} binds (one parameter per column, whatever the number of rows): position (or its offset from the
 * transaction's base), event id, session, version, type, timestamp, agent, correlation id, schema version; and the
 * payloads as ONE JSON array, whose n-th element the statement takes for the n-th row. Typed as the columns
 * ({@code timestamptz[]}, {@code jsonb}), so PostgreSQL decodes them when the statement is bound. The payloads are
 * JSON already: joined into an array they need no escaping as elements of a text array literal, which was the
 * largest part of the driver's work per append (measured, docs/benchmarks.md).
 */
final class EventColumns {
    private static final String[] TYPES = {"bigint", "uuid", "text", "bigint", "text", "timestamptz", "text", "text", "int4"};

    private final Object[][] columns;
    private final StringBuilder payloads;
    private int size;

    EventColumns(int rows) {
        this.columns = new Object[TYPES.length][rows];
        this.payloads = new StringBuilder(rows * 64).append('[');
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
        if (size > 0) payloads.append(',');
        payloads.append(payloadJson);
        size++;
    }

    /**
     * Binds the payloads, as ONE JSON array typed {@code jsonb} (decoded once at Bind), to parameter {@code first},
     * and the nine arrays to {@code first + 1} .. {@code first + 9}; returns the next parameter index. (Sent as text
     * and cast in the statement, the cast ran once per row, each time over the whole array: 3x PostgreSQL's CPU per
     * append.)
     */
    int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        var json = new PGobject();
        json.setType("jsonb");
        json.setValue(payloads + "]");
        ps.setObject(first, json);
        for (int k = 0; k < TYPES.length; k++) ps.setArray(first + 1 + k, c.createArrayOf(TYPES[k], columns[k]));
        return first + 1 + TYPES.length;
    }
}
