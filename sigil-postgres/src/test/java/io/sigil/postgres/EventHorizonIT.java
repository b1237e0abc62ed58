package io.sigil.postgres;

import io.sigil.errors.InvalidInputError;
import io.sigil.events.AppendResult;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Groups commit in parallel (V10): a position is taken from the writing transaction's id, so a group may commit
 * before an older one that is still open. Readers by position must stop at that older writer (the read horizon)
 * and must not stop at open transactions that write no events.
 */
class EventHorizonIT {
    private TestDatabase db;
    private final List<PostgresEventStore> stores = new ArrayList<>();

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("horizon");
    }

    @AfterEach
    void dropDatabase() {
        stores.forEach(PostgresEventStore::close);
        db.close();
    }

    private PostgresEventStore open() {
        var s = PostgresEventStore.open(db.database(), 10_000);
        stores.add(s);
        return s;
    }

    private Connection raw() throws Exception {
        Connection c = DriverManager.getConnection(TestDatabase.SERVER + db.name(), "postgres", null);
        c.setAutoCommit(false);
        return c;
    }

    private static List<Event> events(String session, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "m" + i))).toList();
    }

    /** An open transaction placed like an event writer: it holds the events lock, then its transaction id. */
    private static long openWriter(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE events IN ROW EXCLUSIVE MODE");
            try (ResultSet rs = st.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void readersStopBelowAnOpenOlderWriterAndGoOnWhenItEnds() throws Exception {
        PostgresEventStore store = open();
        AppendResult before = store.append("a", ExpectedVersion.ANY, events("a", 2));
        try (Connection writer = raw()) {
            long xid = openWriter(writer);
            // NO_STREAM: the one-round-trip write. (The careful way, for a session this process cannot place,
            // locks the table against writers and would wait for this open one.)
            AppendResult after = store.append("b", ExpectedVersion.NO_STREAM, events("b", 3));
            assertThat(after.firstPosition()).isGreaterThan(xid << 13);

            // Committed and acknowledged, but behind an open writer with a smaller id: not readable by position yet.
            assertThat(store.readAll(1, 100)).extracting(RecordedEvent::position)
                    .containsExactly(before.firstPosition(), before.lastPosition());
            assertThat(store.lastPosition()).isEqualTo(before.lastPosition());
            assertThat(store.awaitPosition(before.lastPosition(), Duration.ofMillis(200))).isFalse();
            // ... while the session's own read sees it (versions are checked per session, not by position).
            assertThat(store.read("b", 1)).hasSize(3);

            // The older writer commits an event at its own position, below the newer group's.
            try (var ps = writer.prepareStatement("""
                    INSERT INTO sessions (session_id) VALUES ('c');
                    INSERT INTO events (position, event_id, session_id, version, event_type, timestamp, schema_version, payload)
                    VALUES (? , gen_random_uuid(), 'c', 1, 'message.added', NOW(), 1, '{"role":"user","content":"late"}')""")) {
                ps.setLong(1, (xid << 13) + 1);
                ps.execute();
            }
            var seen = new CopyOnWriteArrayList<Long>();
            try (Subscription sub = store.subscribe(1, e -> seen.add(e.position()))) {
                Thread.sleep(300);
                assertThat(seen).containsExactly(before.firstPosition(), before.lastPosition());
                writer.commit();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (seen.size() < 6 && System.nanoTime() < deadline) Thread.sleep(5);
                assertThat(sub.failure()).isNull();
            }
            assertThat(seen).containsExactly(before.firstPosition(), before.lastPosition(), (xid << 13) + 1,
                    after.firstPosition(), after.firstPosition() + 1, after.lastPosition());
            assertThat(store.lastPosition()).isEqualTo(after.lastPosition());
        }
    }

    @Test
    void anOpenTransactionThatWritesNoEventsDoesNotHoldReadersBack() throws Exception {
        PostgresEventStore store = open();
        try (Connection other = raw(); Statement st = other.createStatement()) {
            st.execute("INSERT INTO agents (name, definition) VALUES ('x', '{}')"); // has a transaction id now
            AppendResult r = store.append("a", ExpectedVersion.ANY, events("a", 2));
            assertThat(store.lastPosition()).isEqualTo(r.lastPosition());
            assertThat(store.readAll(1, 10)).extracting(RecordedEvent::position).containsExactly(r.firstPosition(), r.lastPosition());
            other.rollback();
        }
    }

    @Test
    void aSubscriptionOfAnotherProcessSeesEveryAppendOnceInPositionOrder() throws Exception {
        PostgresEventStore writerA = open(), writerB = open(), reader = open();
        var seen = new CopyOnWriteArrayList<Long>();
        Set<Long> appended = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (Subscription sub = reader.subscribe(1, e -> seen.add(e.position()))) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 16; w++) {
                PostgresEventStore store = w % 2 == 0 ? writerA : writerB;
                String session = "w" + w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        AppendResult r = store.append(session, ExpectedVersion.ANY, events(session, 1 + i % 3));
                        for (long p = r.firstPosition(); p <= r.lastPosition(); p++) appended.add(p);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.size() < appended.size() && System.nanoTime() < deadline) Thread.sleep(10);
            Thread.sleep(100); // nothing more may come
            assertThat(sub.failure()).isNull();
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).doesNotHaveDuplicates().isSorted();
        assertThat(Set.copyOf(seen)).isEqualTo(appended);
    }

    @Test
    void newPositionsStayAboveStoredOnesWrittenUnderLaterTransactionIds() throws Exception {
        // As after restoring a dump of a busier cluster: a stored position far above what this cluster's ids give.
        long far;
        try (Connection c = raw(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT ((pg_current_xact_id()::text::bigint + 1000000) << 13) + 5")) {
                rs.next();
                far = rs.getLong(1);
            }
            st.execute("INSERT INTO sessions (session_id) VALUES ('old'); "
                    + "INSERT INTO events (position, event_id, session_id, version, event_type, timestamp, schema_version, payload) "
                    + "VALUES (" + far + ", gen_random_uuid(), 'old', 1, 'message.added', NOW(), 1, '{\"role\":\"user\",\"content\":\"x\"}')");
            c.commit();
        }
        PostgresEventStore store = open();
        AppendResult r = store.append("new", ExpectedVersion.NO_STREAM, events("new", 2));
        assertThat(r.firstPosition()).isGreaterThan(far);
        AppendResult careful = store.append("new", ExpectedVersion.ANY, events("new", 1)); // the careful way too
        assertThat(careful.firstPosition()).isGreaterThan(r.lastPosition());
        assertThat(store.readAll(1, 10)).extracting(RecordedEvent::position)
                .containsExactly(far, r.firstPosition(), r.lastPosition(), careful.firstPosition());
        assertThat(store.lastPosition()).isEqualTo(careful.lastPosition());
    }

    @Test
    void anAppendOfMoreEventsThanATransactionCanNumberIsRefused() {
        PostgresEventStore store = open();
        assertThatThrownBy(() -> store.append("big", ExpectedVersion.ANY, events("big", GroupCommitter.MAX_GROUP_EVENTS + 1)))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("at most 8191 events");
        assertThat(store.append("big", ExpectedVersion.ANY, events("big", GroupCommitter.MAX_GROUP_EVENTS)).lastVersion())
                .isEqualTo(GroupCommitter.MAX_GROUP_EVENTS);
        assertThat(store.version("big")).isEqualTo(GroupCommitter.MAX_GROUP_EVENTS);
    }
}
