package io.sigil.postgres;

import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.EventType;
import io.sigil.events.EventStoreConformance;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.RecordedEvent;
import io.sigil.events.SessionEndedError;
import io.sigil.events.WrongExpectedVersionError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The event store conformance suite on PostgreSQL (a fresh database per test), plus what only a shared store
 * has: two stores over one database, as two processes would be, see each other's appends and conflicts.
 */
class PostgresEventStoreIT extends EventStoreConformance {
    private TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("events");
    }

    @AfterEach
    void dropDatabase() {
        closeStores();
        db.close();
    }

    @Override
    protected EventStore openStore(int maxEventsPerSession) {
        return PostgresEventStore.open(db.database(), maxEventsPerSession);
    }

    @Test
    void twoStoresOnOneDatabaseShareSessionsVersionsAndSubscriptions() throws Exception {
        EventStore a = open(MAX);
        EventStore b = open(MAX);
        a.append("s", ExpectedVersion.NO_STREAM, events("s", 0, 2));
        assertThat(b.version("s")).isEqualTo(2);
        assertThatThrownBy(() -> b.append("s", ExpectedVersion.exact(1), events("s", 2, 1)))
                .isInstanceOf(WrongExpectedVersionError.class);
        assertThat(b.append("s", ExpectedVersion.exact(2), events("s", 2, 1)).lastPosition()).isEqualTo(3);

        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        try (var sub = b.subscribe(4, seen::add)) {
            a.append("t", ExpectedVersion.ANY, events("t", 0, 3));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        }
        assertThat(seen).extracting(RecordedEvent::position).containsExactly(4L, 5L, 6L);
        assertThat(b.awaitPosition(5, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void eventsAreRowsOfTheGuidesTables() throws Exception {
        EventStore store = open(MAX);
        List<Event> batch = events("s", 0, 3);
        store.append("s", ExpectedVersion.ANY, batch);
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*), min(position), max(version), bool_and(payload ? 'content') FROM events")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getLong(2)).isEqualTo(1);
            assertThat(rs.getLong(3)).isEqualTo(3);
            assertThat(rs.getBoolean(4)).isTrue();
        }
    }

    /**
     * A store writes in one round trip at the version it last saw; another process's appends make that guess
     * stale, and the store must then read the session and decide as if it had never guessed.
     */
    @Test
    void aVersionGuessMadeStaleByAnotherProcessIsCaughtAndDecidedFromTheDatabase() {
        EventStore a = open(MAX);
        EventStore b = open(MAX);
        a.append("s", ExpectedVersion.ANY, events("s", 0, 2)); // a now guesses s is at 2
        b.append("s", ExpectedVersion.exact(2), events("s", 2, 3));
        assertThat(a.append("s", ExpectedVersion.ANY, events("s", 5, 1)).lastVersion()).isEqualTo(6);
        assertThatThrownBy(() -> a.append("s", ExpectedVersion.exact(5), events("s", 6, 1)))
                .isInstanceOf(WrongExpectedVersionError.class);

        b.append("s", ExpectedVersion.exact(6), List.of(Event.of(EventType.SESSION_ENDED, "s", Map.of())));
        assertThatThrownBy(() -> a.append("s", ExpectedVersion.ANY, events("s", 8, 1)))
                .isInstanceOf(SessionEndedError.class);

        b.delete("s");
        assertThat(a.append("s", ExpectedVersion.ANY, events("s", 20, 2)).lastVersion()).isEqualTo(2);
        assertThat(a.read("s", 1)).extracting(RecordedEvent::version).containsExactly(1L, 2L);
        assertThat(b.readAll(1, 100)).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
    }

    /** A retried append whose first try committed answers where its events are, on the one-round-trip path too. */
    @Test
    void aRetryOfACommittedAppendAnswersWhereItsEventsAre() {
        EventStore a = open(MAX);
        List<Event> batch = events("r", 0, 3);
        var first = a.append("r", ExpectedVersion.NO_STREAM, batch);
        var retry = open(MAX).append("r", ExpectedVersion.NO_STREAM, batch);
        assertThat(retry).isEqualTo(first);
        assertThat(a.append("r", ExpectedVersion.NO_STREAM, batch)).isEqualTo(first);
        assertThat(a.version("r")).isEqualTo(3);
    }

    /**
     * Enough writers that two groups are in flight at once (more than {@link GroupCommitter#PIPELINE_MIN} appends
     * waiting), some on sessions of their own with exact versions, some sharing sessions (a session then sits in
     * both groups, so the second group's version guess is stale and the guard sends it the careful way). A reader
     * polling meanwhile never sees a later position before an earlier one; at the end every acknowledged event is
     * there once, positions are 1..n and each session's versions are contiguous.
     */
    @Test
    void twoGroupsInFlightKeepPositionsGapFreeVisibleInOrderAndVersionsContiguous() throws Exception {
        EventStore store = open(MAX);
        int writers = 200;
        int perWriter = 15;
        var acked = new java.util.concurrent.atomic.AtomicLong();
        var readerError = new java.util.concurrent.atomic.AtomicReference<String>();
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread reader = Thread.ofPlatform().start(() -> {
            long next = 1;
            while (running.get() && readerError.get() == null) {
                for (RecordedEvent e : store.readAll(next, 1_000)) {
                    if (e.position() != next) readerError.set("expected position " + next + ", saw " + e.position());
                    next = e.position() + 1;
                }
            }
        });
        var start = new java.util.concurrent.CountDownLatch(1);
        var threads = new java.util.ArrayList<Thread>();
        for (int w = 0; w < writers; w++) {
            boolean shared = w % 4 == 0;
            String session = shared ? "shared-" + (w % 20) : "own-" + w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        var expected = shared ? ExpectedVersion.ANY : ExpectedVersion.exact(i);
                        store.append(session, expected, events(session, i, 1));
                        acked.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join(120_000);
        running.set(false);
        reader.join(10_000);
        assertThat(readerError.get()).isNull();
        assertThat(acked.get()).isEqualTo((long) writers * perWriter);
        List<RecordedEvent> all = store.readAll(1, writers * perWriter + 10);
        assertThat(all).extracting(RecordedEvent::position)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, (long) writers * perWriter).boxed().toList());
        assertThat(all.stream().map(e -> e.event().eventId()).distinct().count()).isEqualTo((long) writers * perWriter);
        for (var bySession : all.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.event().sessionId())).entrySet()) {
            assertThat(bySession.getValue()).extracting(RecordedEvent::version)
                    .as(bySession.getKey()).containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(1, bySession.getValue().size()).boxed().toList());
        }
        assertThat(store.version("shared-0")).isEqualTo(10L * perWriter); // writers 0, 20, .., 180 share it
    }
}
