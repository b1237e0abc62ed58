package io.sigil.events;

import io.sigil.errors.InvalidInputError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link EventStore} adapter must have. An adapter's test extends this class and says how
 * to open its store over fresh state ({@link #open}) and how to open it again over the same state
 * ({@link #reopen}); the file store and the PostgreSQL store run it unchanged.
 */
public abstract class EventStoreConformance {
    protected static final int MAX = 10_000;

    private final List<EventStore> opened = new ArrayList<>();

    /** A store over this test's state (fresh for each test), enforcing {@code maxEventsPerSession}. */
    protected abstract EventStore openStore(int maxEventsPerSession);

    /** Closes {@code store} and opens it again over the same state, as after a restart. */
    protected EventStore reopenStore(EventStore store, int maxEventsPerSession) {
        store.close();
        return openStore(maxEventsPerSession);
    }

    protected final EventStore open(int max) {
        EventStore s = openStore(max);
        opened.add(s);
        return s;
    }

    protected final EventStore reopen(EventStore store, int max) {
        EventStore s = reopenStore(store, max);
        opened.add(s);
        return s;
    }

    /** Closes every store this test opened (adapters whose state outlives a test call it before dropping it). */
    @AfterEach
    protected void closeStores() {
        for (EventStore s : opened) s.close();
        opened.clear();
    }

    protected static Event event(String session, int n) {
        return Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "message " + n, "n", n));
    }

    protected static List<Event> events(String session, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> event(session, i)).toList();
    }

    @Test
    void appendedEventsReadBackEqualWithVersionsAndPositions() {
        EventStore store = open(MAX);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("role", "assistant");
        payload.put("content", "héllo ✓");
        payload.put("nested", Map.of("list", List.of(1, 2.5, "x"), "flag", true));
        payload.put("nothing", null);
        Event first = Event.of(EventType.MESSAGE_ADDED, "s1", payload).withAgent("agent-7").withCorrelation("req-1");
        Event second = event("s1", 2);

        AppendResult r = store.append("s1", ExpectedVersion.NO_STREAM, List.of(first, second));

        assertThat(r).isEqualTo(new AppendResult("s1", 1, 2, 1, 2));
        List<RecordedEvent> read = store.read("s1", 1);
        assertThat(read).extracting(RecordedEvent::event).containsExactly(first, second);
        assertThat(read).extracting(RecordedEvent::version).containsExactly(1L, 2L);
        assertThat(read).extracting(RecordedEvent::position).containsExactly(1L, 2L);
        assertThat(read.getFirst().event().schemaVersion()).isEqualTo(Event.SCHEMA_VERSION);
        assertThat(store.version("s1")).isEqualTo(2);
        assertThat(store.lastPosition()).isEqualTo(2);
    }

    @Test
    void expectedVersionIsChecked() {
        EventStore store = open(MAX);
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.EXISTS, events("s", 0, 1)))
                .isInstanceOf(WrongExpectedVersionError.class).hasMessageContaining("version 0");
        store.append("s", ExpectedVersion.NO_STREAM, events("s", 0, 2));
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.NO_STREAM, events("s", 2, 1)))
                .isInstanceOfSatisfying(WrongExpectedVersionError.class, e -> assertThat(e.actual()).isEqualTo(2));
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.exact(1), events("s", 2, 1)))
                .isInstanceOf(WrongExpectedVersionError.class);
        assertThat(store.append("s", ExpectedVersion.exact(2), events("s", 2, 1)).lastVersion()).isEqualTo(3);
        assertThat(store.append("s", ExpectedVersion.EXISTS, events("s", 3, 1)).lastVersion()).isEqualTo(4);
        assertThat(store.append("s", ExpectedVersion.ANY, events("s", 4, 1)).lastVersion()).isEqualTo(5);
        assertThat(store.append("t", ExpectedVersion.exact(0), events("t", 0, 1)).lastVersion()).isEqualTo(1);
        assertThat(store.read("s", 1)).hasSize(5);
    }

    @Test
    void retryingTheSameBatchReturnsTheFirstResultAlsoAfterRestart() {
        EventStore store = open(MAX);
        store.append("s", ExpectedVersion.NO_STREAM, events("s", 0, 1));
        List<Event> batch = events("s", 1, 3);
        AppendResult first = store.append("s", ExpectedVersion.exact(1), batch);
        store.append("other", ExpectedVersion.ANY, events("other", 0, 1));

        assertThat(store.append("s", ExpectedVersion.exact(1), batch)).isEqualTo(first);
        assertThat(store.append("s", ExpectedVersion.ANY, batch)).isEqualTo(first);
        assertThat(store.version("s")).isEqualTo(4);

        EventStore again = reopen(store, MAX);
        assertThat(again.append("s", ExpectedVersion.exact(1), batch)).isEqualTo(first);
        assertThat(again.read("s", 1)).hasSize(4);
        assertThat(again.lastPosition()).isEqualTo(5);
    }

    @Test
    void theSameIdsAtAnotherPositionAreAConflict() {
        EventStore store = open(MAX);
        List<Event> batch = events("s", 0, 2);
        store.append("s", ExpectedVersion.ANY, batch);

        Event e0 = batch.getFirst();
        Event sameIdOtherSession = new Event(e0.eventId(), e0.eventType(), e0.timestamp(), "t", null, null, e0.payload(), 1);
        assertThatThrownBy(() -> store.append("t", ExpectedVersion.ANY, List.of(sameIdOtherSession)))
                .isInstanceOf(DuplicateEventError.class);
        // A run of stored events resent in the same order is a retry too (it answers where they are) ...
        assertThat(store.append("s", ExpectedVersion.ANY, List.of(batch.get(1))))
                .isEqualTo(new AppendResult("s", 2, 2, 2, 2));
        // ... but the events in another order, or old ids mixed with new ones, are not.
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, List.of(batch.get(1), batch.get(0))))
                .isInstanceOf(DuplicateEventError.class);
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, List.of(event("s", 9), batch.get(0))))
                .isInstanceOf(DuplicateEventError.class);
        assertThat(store.version("s")).isEqualTo(2);
        assertThat(store.version("t")).isZero();
    }

    @Test
    void malformedAppendsAreRejected() {
        EventStore store = open(MAX);
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, List.of()))
                .isInstanceOf(InvalidInputError.class);
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, List.of(event("other", 1))))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("belongs to session 'other'");
        Event e = event("s", 1);
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, List.of(e, e)))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("twice");
        assertThat(store.lastPosition()).isZero();
    }

    @Test
    void readsFromAVersionAndAllFromAPosition() {
        EventStore store = open(MAX);
        store.append("a", ExpectedVersion.ANY, events("a", 0, 3));
        store.append("b", ExpectedVersion.ANY, events("b", 0, 2));
        store.append("a", ExpectedVersion.ANY, events("a", 3, 2));

        assertThat(store.read("a", 3)).extracting(RecordedEvent::version).containsExactly(3L, 4L, 5L);
        assertThat(store.read("a", 3)).extracting(RecordedEvent::position).containsExactly(3L, 6L, 7L);
        assertThat(store.read("a", 6)).isEmpty();
        assertThat(store.read("missing", 1)).isEmpty();

        List<RecordedEvent> all = store.readAll(1, 100);
        assertThat(all).extracting(RecordedEvent::position).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(all).extracting(RecordedEvent::sessionId).containsExactly("a", "a", "a", "b", "b", "a", "a");
        assertThat(all.get(3).version()).isEqualTo(1);
        assertThat(store.readAll(4, 2)).extracting(RecordedEvent::position).containsExactly(4L, 5L);
        assertThat(store.readAll(8, 10)).isEmpty();
    }

    @Test
    void listsSessions() {
        EventStore store = open(MAX);
        store.append("a", ExpectedVersion.ANY, events("a", 0, 3));
        store.append("b", ExpectedVersion.ANY, events("b", 0, 1));
        store.append("b", ExpectedVersion.ANY, List.of(Event.of(EventType.SESSION_ENDED, "b", Map.of())));

        assertThat(store.sessions()).containsExactlyInAnyOrder(
                new StreamInfo("a", 3, 3, false), new StreamInfo("b", 2, 5, true));
    }

    @Test
    void subscriptionCatchesUpThenFollowsLiveEventsInOrder() throws Exception {
        EventStore store = open(MAX);
        store.append("a", ExpectedVersion.ANY, events("a", 0, 3));
        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription sub = store.subscribe(2, seen::add)) {
            store.append("b", ExpectedVersion.ANY, events("b", 0, 2));
            store.append("a", ExpectedVersion.ANY, events("a", 3, 1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.size() < 5 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(sub.failure()).isNull();
        }
        assertThat(seen).extracting(RecordedEvent::position).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void subscriptionStepsOverTheGapsOfDeletedSessions() throws Exception {
        EventStore store = open(MAX);
        store.append("a", ExpectedVersion.ANY, events("a", 0, 2));
        store.append("b", ExpectedVersion.ANY, events("b", 0, 2));
        store.delete("b");
        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        try (Subscription sub = store.subscribe(1, seen::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sub.nextPosition() < 5 && System.nanoTime() < deadline) Thread.sleep(5);
            store.append("a", ExpectedVersion.ANY, events("a", 2, 1));
            while (seen.size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        }
        assertThat(seen).extracting(RecordedEvent::position).containsExactly(1L, 2L, 5L);
    }

    @Test
    void aSessionHoldsAtMostMaxEvents() {
        EventStore store = open(5);
        store.append("s", ExpectedVersion.ANY, events("s", 0, 4));
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, events("s", 4, 2)))
                .isInstanceOf(SessionFullError.class)
                .hasMessageContaining("limit of 5 events per session");
        store.append("s", ExpectedVersion.ANY, events("s", 4, 1));
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, events("s", 5, 1)))
                .isInstanceOfSatisfying(SessionFullError.class,
                        e -> assertThat(e.hint()).contains("SIGIL_STATE_MAX_EVENTS_PER_SESSION"));
        assertThat(store.version("s")).isEqualTo(5);
    }

    @Test
    void appendingAfterSessionEndedIsRefusedExceptForAnAdmin() {
        EventStore store = open(MAX);
        store.append("s", ExpectedVersion.ANY, List.of(event("s", 0), Event.of(EventType.SESSION_ENDED, "s", Map.of())));
        assertThatThrownBy(() -> store.append("s", ExpectedVersion.ANY, events("s", 1, 1)))
                .isInstanceOf(SessionEndedError.class).hasMessageContaining("'s' has ended");
        AppendResult r = store.append("s", ExpectedVersion.exact(2),
                List.of(Event.of(EventType.SESSION_ARCHIVED, "s", Map.of())), AppendOption.ADMIN_OVERRIDE);
        assertThat(r.lastVersion()).isEqualTo(3);
        EventStore again = reopen(store, MAX);
        assertThatThrownBy(() -> again.append("s", ExpectedVersion.ANY, events("s", 1, 1)))
                .isInstanceOf(SessionEndedError.class);
    }

    @Test
    void deletedSessionsAreGoneAlsoAfterRestart() {
        EventStore store = open(MAX);
        store.append("a", ExpectedVersion.ANY, events("a", 0, 2));
        List<Event> bEvents = events("b", 0, 2);
        store.append("b", ExpectedVersion.ANY, bEvents);
        store.append("a", ExpectedVersion.ANY, events("a", 2, 1));

        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.read("a", 1)).isEmpty();
        assertThat(store.version("a")).isZero();
        assertThat(store.readAll(1, 10)).extracting(RecordedEvent::sessionId).containsExactly("b", "b");
        assertThat(store.sessions()).extracting(StreamInfo::sessionId).containsExactly("b");

        EventStore again = reopen(store, MAX);
        assertThat(again.read("a", 1)).isEmpty();
        assertThat(again.append("a", ExpectedVersion.NO_STREAM, events("a", 0, 1)))
                .isEqualTo(new AppendResult("a", 1, 1, 6, 6));
        assertThat(again.append("b", ExpectedVersion.ANY, bEvents).lastVersion()).isEqualTo(2);
    }

    @Test
    void unknownEventTypesAreKeptAndPassedThrough() {
        EventStore store = open(MAX);
        Event future = Event.of("workflow.branch_merged", "s", Map.of("branches", List.of("x", "y"), "depth", 3));
        store.append("s", ExpectedVersion.ANY, List.of(future));
        EventStore again = reopen(store, MAX);
        RecordedEvent read = again.read("s", 1).getFirst();
        assertThat(read.event()).isEqualTo(future);
        assertThat(read.event().knownType()).isEmpty();
    }

    @Test
    void eventsSurviveARestart() {
        EventStore store = open(MAX);
        for (int i = 0; i < 20; i++) store.append("s" + (i % 3), ExpectedVersion.ANY, events("s" + (i % 3), i, 1 + i % 4));
        List<RecordedEvent> before = store.readAll(1, 1000);
        EventStore again = reopen(store, MAX);
        assertThat(again.readAll(1, 1000)).isEqualTo(before);
        assertThat(again.version("s0")).isEqualTo(before.stream().filter(e -> e.sessionId().equals("s0")).count());
    }

    @Test
    void ofManyAppendersWithTheSameExpectedVersionExactlyOneWins() throws Exception {
        EventStore store = open(MAX);
        store.append("s", ExpectedVersion.ANY, events("s", 0, 3));
        int writers = 32;
        var start = new CountDownLatch(1);
        var wins = new AtomicInteger();
        var conflicts = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                int n = w;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.append("s", ExpectedVersion.exact(3), events("s", 100 + n, 2));
                        wins.incrementAndGet();
                    } catch (WrongExpectedVersionError e) {
                        conflicts.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(wins.get()).isOne();
        assertThat(conflicts.get()).isEqualTo(writers - 1);
        assertThat(store.version("s")).isEqualTo(5);
    }

    @Test
    void concurrentAppendersAllLandWithContiguousVersions() throws Exception {
        EventStore store = open(MAX);
        int writers = 16;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                String session = "w" + (w % 4);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) store.append(session, ExpectedVersion.ANY, events(session, i, 1));
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<RecordedEvent> all = store.readAll(1, 10_000);
        assertThat(all).hasSize(writers * perWriter);
        assertThat(all).extracting(RecordedEvent::position)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, writers * perWriter).mapToObj(i -> (long) i).toList());
        for (int s = 0; s < 4; s++) {
            List<Long> versions = new ArrayList<>(store.read("w" + s, 1).stream().map(RecordedEvent::version).toList());
            assertThat(versions).isSorted().hasSize(4 * perWriter).first().isEqualTo(1L);
            assertThat(versions.getLast()).isEqualTo(4L * perWriter);
        }
        assertThat(all.stream().map(e -> e.event().eventId()).distinct().count()).isEqualTo(writers * perWriter);
    }
}
