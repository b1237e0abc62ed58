package io.sigil.postgres;

import io.sigil.events.AppendResult;
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
        AppendResult first = contiguous(a.append("s", ExpectedVersion.NO_STREAM, events("s", 0, 2)), 2);
        assertThat(b.version("s")).isEqualTo(2);
        assertThat(b.lastPosition()).isEqualTo(first.lastPosition());
        assertThatThrownBy(() -> b.append("s", ExpectedVersion.exact(1), events("s", 2, 1)))
                .isInstanceOf(WrongExpectedVersionError.class);
        AppendResult second = contiguous(b.append("s", ExpectedVersion.exact(2), events("s", 2, 1)), 1);
        assertThat(second.lastVersion()).isEqualTo(3);
        positions(first, second);
        assertThat(a.lastPosition()).isEqualTo(second.lastPosition());

        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        AppendResult t;
        try (var sub = b.subscribe(second.lastPosition() + 1, seen::add)) {
            t = contiguous(a.append("t", ExpectedVersion.ANY, events("t", 0, 3)), 3);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        }
        positions(second, t);
        assertThat(seen).extracting(RecordedEvent::position).containsExactlyElementsOf(positions(t));
        assertThat(seen).extracting(RecordedEvent::sessionId).containsOnly("t");
        assertThat(b.awaitPosition(t.lastPosition() - 1, Duration.ofSeconds(5))).isTrue();
        assertThat(b.lastPosition()).isEqualTo(t.lastPosition());
    }

    @Test
    void eventsAreRowsOfTheGuidesTables() throws Exception {
        EventStore store = open(MAX);
        List<Event> batch = events("s", 0, 3);
        AppendResult r = contiguous(store.append("s", ExpectedVersion.ANY, batch), 3);
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*), min(position), max(version), bool_and(payload ? 'content'), max(position) FROM events")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(3);
            assertThat(rs.getLong(2)).isEqualTo(r.firstPosition());
            assertThat(rs.getLong(3)).isEqualTo(3);
            assertThat(rs.getBoolean(4)).isTrue();
            assertThat(rs.getLong(5)).isEqualTo(r.lastPosition());
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

    /**
     * Appends do not read the session: a store trusts the version it last saw, and the events' unique (session,
     * version) key catches another process's appends. A session deleted by another process, and started again with
     * fewer events, is what that key cannot catch: the deletion generation must send the write the careful way, or
     * the events would land after versions the session no longer has.
     */
    @Test
    void aSessionDeletedAndStartedAgainByAnotherProcessIsNotAppendedToAtItsOldVersion() {
        EventStore a = open(MAX);
        EventStore b = open(MAX);
        a.append("s", ExpectedVersion.ANY, events("s", 0, 5)); // a now guesses s is at 5
        b.delete("s");
        b.append("s", ExpectedVersion.NO_STREAM, events("s", 10, 2));
        assertThatThrownBy(() -> a.append("s", ExpectedVersion.exact(5), events("s", 20, 1)))
                .isInstanceOf(WrongExpectedVersionError.class);
        assertThat(a.append("s", ExpectedVersion.ANY, events("s", 21, 1)).lastVersion()).isEqualTo(3);
        assertThat(b.read("s", 1)).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);

        a.delete("t"); // a deletion by the store itself, of a session it never wrote, moves the generation too
        assertThat(a.append("s", ExpectedVersion.ANY, events("s", 22, 1)).lastVersion()).isEqualTo(4);
        assertThat(b.version("s")).isEqualTo(4);
    }

    /**
     * An exact version a store has not seen is checked in the write itself: against the previous event and the
     * session's end. Too high, it is refused and nothing is written; right, it is written; an ended session refuses
     * it unless the append is an admin's.
     */
    @Test
    void anExactVersionThisProcessNeverSawIsCheckedAgainstTheDatabase() throws Exception {
        EventStore writer = open(MAX);
        writer.append("s", ExpectedVersion.NO_STREAM, events("s", 0, 2));
        assertThatThrownBy(() -> open(MAX).append("s", ExpectedVersion.exact(5), events("s", 2, 1)))
                .isInstanceOf(WrongExpectedVersionError.class);
        assertThat(writer.version("s")).isEqualTo(2);
        assertThat(open(MAX).append("s", ExpectedVersion.exact(2), events("s", 3, 1)).lastVersion()).isEqualTo(3);

        writer.append("s", ExpectedVersion.exact(3), List.of(Event.of(EventType.SESSION_ENDED, "s", Map.of())));
        assertThatThrownBy(() -> open(MAX).append("s", ExpectedVersion.exact(4), events("s", 5, 1)))
                .isInstanceOf(SessionEndedError.class);
        assertThat(open(MAX).append("s", ExpectedVersion.exact(4), events("s", 6, 1),
                io.sigil.events.AppendOption.ADMIN_OVERRIDE).lastVersion()).isEqualTo(5);
        try (var c = db.database().dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT status, ended_at IS NOT NULL FROM sessions WHERE session_id = 's'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ended");
            assertThat(rs.getBoolean(2)).isTrue();
        }
    }

    /** A session's version and last position come from its last event; the session row is written only when it changes. */
    @Test
    void sessionsListTheirVersionAndLastPositionFromTheirEvents() throws Exception {
        EventStore store = open(MAX);
        store.append("a", ExpectedVersion.ANY, events("a", 0, 2));
        AppendResult b = store.append("b", ExpectedVersion.ANY, events("b", 0, 1));
        String rowVersion = sessionRowVersion("a");
        AppendResult a3 = store.append("a", ExpectedVersion.ANY, events("a", 2, 1));
        AppendResult a4 = store.append("a", ExpectedVersion.exact(3), events("a", 3, 1));
        positions(b, a3, a4);
        assertThat(store.sessions()).extracting(i -> i.sessionId() + "@" + i.version() + "/" + i.lastPosition())
                .containsExactly("b@1/" + b.lastPosition(), "a@4/" + a4.lastPosition());
        assertThat(store.version("a")).isEqualTo(4);
        assertThat(sessionRowVersion("a")).as("the session row is not rewritten by appends").isEqualTo(rowVersion);
        store.append("a", ExpectedVersion.ANY, List.of(Event.of(EventType.SESSION_ENDED, "a", Map.of())));
        assertThat(sessionRowVersion("a")).as("ending the session writes its row").isNotEqualTo(rowVersion);
        assertThat(store.sessions()).filteredOn(i -> i.sessionId().equals("a")).singleElement()
                .extracting(io.sigil.events.StreamInfo::ended).isEqualTo(true);
    }

    /** The row's xmin: the transaction that last wrote it. */
    private String sessionRowVersion(String session) throws Exception {
        try (var c = db.database().dataSource().getConnection();
             var ps = c.prepareStatement("SELECT xmin::text FROM sessions WHERE session_id = ?")) {
            ps.setString(1, session);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
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
     * polling meanwhile sees positions only increase and never a later position before an earlier one: reading on
     * from the last position it saw, at the end it has seen every stored position exactly once. Every acknowledged
     * event is there once, at the position its append answered, and each session's versions are contiguous.
     */
    @Test
    void twoGroupsInFlightKeepPositionsIncreasingVisibleInOrderAndVersionsContiguous() throws Exception {
        EventStore store = open(MAX);
        int writers = 200;
        int perWriter = 15;
        var acked = new java.util.concurrent.ConcurrentLinkedQueue<AppendResult>();
        var readerError = new java.util.concurrent.atomic.AtomicReference<String>();
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        var readerSaw = new java.util.ArrayList<Long>(); // the reader's alone until it is joined
        Thread reader = Thread.ofPlatform().start(() -> {
            long next = 1;
            while (running.get() && readerError.get() == null) {
                for (RecordedEvent e : store.readAll(next, 1_000)) {
                    if (e.position() < next) readerError.set("asked from position " + next + ", saw " + e.position());
                    readerSaw.add(e.position());
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
                        acked.add(store.append(session, expected, events(session, i, 1)));
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
        assertThat(reader.isAlive()).isFalse();
        assertThat(readerError.get()).isNull();
        // the writers are done: what the reader has not seen yet is after the last position it saw
        long next = readerSaw.isEmpty() ? 1 : readerSaw.getLast() + 1;
        for (List<RecordedEvent> more; !(more = store.readAll(next, 1_000)).isEmpty(); next = more.getLast().position() + 1) {
            for (RecordedEvent e : more) readerSaw.add(e.position());
        }
        assertThat(acked).hasSize(writers * perWriter);
        List<RecordedEvent> all = store.readAll(1, writers * perWriter + 10);
        assertThat(all).hasSize(writers * perWriter);
        List<Long> stored = all.stream().map(RecordedEvent::position).toList();
        assertThat(stored).as("strictly increasing").isSorted().doesNotHaveDuplicates();
        assertThat(stored.getFirst()).isPositive();
        assertThat(readerSaw).as("the reader saw every position once, in order, none missing").isEqualTo(stored);
        assertThat(acked).extracting(r -> contiguous(r, 1).firstPosition()).containsExactlyInAnyOrderElementsOf(stored);
        var byPosition = all.stream().collect(java.util.stream.Collectors.toMap(RecordedEvent::position, e -> e));
        for (AppendResult r : acked) {
            assertThat(byPosition.get(r.firstPosition())).as("%s", r)
                    .extracting(RecordedEvent::sessionId, RecordedEvent::version).containsExactly(r.sessionId(), r.firstVersion());
        }
        assertThat(store.lastPosition()).isEqualTo(stored.getLast());
        assertThat(all.stream().map(e -> e.event().eventId()).distinct().count()).isEqualTo((long) writers * perWriter);
        for (var bySession : all.stream().collect(java.util.stream.Collectors.groupingBy(e -> e.event().sessionId())).entrySet()) {
            assertThat(bySession.getValue()).extracting(RecordedEvent::version)
                    .as(bySession.getKey()).containsExactlyElementsOf(
                            java.util.stream.LongStream.rangeClosed(1, bySession.getValue().size()).boxed().toList());
        }
        assertThat(store.version("shared-0")).isEqualTo(10L * perWriter); // writers 0, 20, .., 180 share it
    }
}
