package io.sigil.postgres;

import io.sigil.events.Event;

import org.postgresql.util.PGobject;

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
    /** The arrays in the order they are bound, after the payloads. */
    private final ArrayLiteral positions, ids, sessions, versions, types, timestamps, agents, correlations, schemas;
    private final StringBuilder payloads;
    private int size;

    EventColumns(int rows) {
        this.positions = new ArrayLiteral("int8[]", rows * 8);
        this.ids = new ArrayLiteral("uuid[]", rows * 37);
        this.sessions = new ArrayLiteral("text[]", rows * 40);
        this.versions = new ArrayLiteral("int8[]", rows * 4);
        this.types = new ArrayLiteral("text[]", rows * 18);
        this.timestamps = new ArrayLiteral("timestamptz[]", rows * 31);
        this.agents = new ArrayLiteral("text[]", rows * 5);
        this.correlations = new ArrayLiteral("text[]", rows * 5);
        this.schemas = new ArrayLiteral("int4[]", rows * 2);
        this.payloads = new StringBuilder(rows * 64).append('[');
    }

    void add(long position, Event e, long version, String payloadJson) {
        positions.add(position);
        ids.addPlain(e.eventId());
        sessions.addText(e.sessionId());
        versions.add(version);
        types.addText(e.eventType());
        timestamps.addPlain(e.timestamp());
        agents.addText(e.agentId());
        correlations.addText(e.correlationId());
        schemas.add(e.schemaVersion());
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
    int bind(PreparedStatement ps, int first) throws SQLException {
        var json = new PGobject();
        json.setType("jsonb");
        json.setValue(payloads.append(']').toString());
        ps.setObject(first, json);
        int k = first + 1;
        for (ArrayLiteral column : new ArrayLiteral[] {positions, ids, sessions, versions, types, timestamps, agents,
                correlations, schemas}) {
            ps.setObject(k++, column.parameter());
        }
        return k;
    }
}
