package io.sigil.bench.events;

import io.sigil.events.Event;
import io.sigil.events.EventCodec;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * SQLite in WAL mode with synchronous=FULL (every commit is fsynced), through one connection: SQLite has a single
 * writer, so appends are serialised. Each append is a transaction that reads the session's version and inserts.
 */
final class SqliteLog implements BenchEventLog {
    private final Connection db;
    private final PreparedStatement version;
    private final PreparedStatement insert;
    private final EventCodec codec = new EventCodec();

    SqliteLog(Path dir) throws SQLException {
        db = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,"
                    + " session_id TEXT NOT NULL, version INTEGER NOT NULL, event_type TEXT NOT NULL, body TEXT NOT NULL,"
                    + " UNIQUE (session_id, version))");
        }
        db.setAutoCommit(false);
        version = db.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM events WHERE session_id = ?");
        insert = db.prepareStatement("INSERT INTO events (event_id, session_id, version, event_type, body) VALUES (?, ?, ?, ?, ?)");
    }

    @Override
    public synchronized void append(String sessionId, List<Event> events) {
        try {
            version.setString(1, sessionId);
            long v;
            try (ResultSet r = version.executeQuery()) {
                r.next();
                v = r.getLong(1);
            }
            for (Event e : events) {
                insert.setString(1, e.eventId().toString());
                insert.setString(2, sessionId);
                insert.setLong(3, ++v);
                insert.setString(4, e.eventType());
                insert.setString(5, codec.toJson(e));
                insert.addBatch();
            }
            insert.executeBatch();
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException { db.close(); }
}
