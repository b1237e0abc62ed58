package io.sigil.postgres;

import io.sigil.events.ExpectedVersion;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration V9 takes the version and last position off the session rows (they come from the events now): a
 * database written by the schema before it reads and appends at the same versions after it.
 */
class SessionsMigrationIT {
    private final String name = "sigil_test_v9_" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void drop() throws Exception {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    @Test
    void sessionsWrittenBeforeV9KeepTheirVersionsAndEnds() throws Exception {
        admin("CREATE DATABASE " + name);
        Flyway.configure().dataSource(TestDatabase.SERVER + name, "postgres", null).locations("classpath:db/migration")
                .table("sigil_schema_history").target("8").load().migrate();
        try (Connection c = DriverManager.getConnection(TestDatabase.SERVER + name, "postgres", null);
             Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO sessions (session_id, agent_id, status, version, last_position, ended_at)
                        VALUES ('open', 'agent-1', 'active', 2, 3, NULL), ('done', NULL, 'ended', 1, 2, NOW());
                    INSERT INTO events (position, event_id, session_id, version, event_type, timestamp, schema_version, payload)
                        VALUES (1, gen_random_uuid(), 'open', 1, 'message.added', NOW(), 1, '{"role":"user","content":"a"}'),
                               (2, gen_random_uuid(), 'done', 1, 'session.ended', NOW(), 1, '{}'),
                               (3, gen_random_uuid(), 'open', 2, 'message.added', NOW(), 1, '{"role":"user","content":"b"}');
                    UPDATE event_store_head SET last_position = 3;""");
        }
        try (var db = new PostgresDatabase(new DatabaseUrl(TestDatabase.SERVER + name, "postgres", null), TestDatabase.small())) {
            db.migrate();
            try (var store = PostgresEventStore.open(db, 100)) {
                assertThat(store.version("open")).isEqualTo(2);
                assertThat(store.sessions()).extracting(i -> i.sessionId() + "@" + i.version() + "/" + i.lastPosition() + "/" + i.ended())
                        .containsExactly("done@1/2/true", "open@2/3/false");
                var appended = store.append("open", ExpectedVersion.ANY, List.of(
                        Event.of(EventType.MESSAGE_ADDED, "open", Map.of("role", "user", "content", "c"))));
                assertThat(appended.lastVersion()).isEqualTo(3);
                assertThat(appended.firstPosition()).as("after the positions written at V8").isGreaterThan(3);
                assertThat(store.read("open", 1)).extracting(RecordedEvent::position).containsExactly(1L, 3L, appended.firstPosition());
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.append("done", ExpectedVersion.ANY, List.of(
                        Event.of(EventType.MESSAGE_ADDED, "done", Map.of("role", "user", "content", "late")))))
                        .isInstanceOf(io.sigil.events.SessionEndedError.class);
            }
        }
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabase.SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
