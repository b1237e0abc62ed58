package io.sigil.events;

import io.sigil.errors.InvalidInputError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 *
 * <p>Global positions are only required to increase strictly in the order readers see them, to be contiguous within
 * one append ({@link AppendResult#firstPosition()}..{@link AppendResult#lastPosition()}), and never to be reused:
 * they need not start at 1 nor be dense (PostgreSQL derives them from the writing transaction). The tests therefore
 * take the expected positions from the {@link AppendResult}s.
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

    /** Checks that {@code r} holds {@code count} events at contiguous positions, and returns {@code r}. */
    protected static AppendResult contiguous(AppendResult r, int count) {
        assertThat(r.firstPosition()).as("first position of %s", r).isPositive();
        assertThat(r.lastPosition() - r.firstPosition() + 1).as("positions of %s", r).isEqualTo(count);
        assertThat(r.lastVersion() - r.firstVersion() + 1).as("versions of %s", r).isEqualTo(count);
        return r;
    }

    /** The positions of the appends' events, in the order given; checks that they strictly increase. */
    protected static List<Long> positions(AppendResult... appends) {
        List<Long> out = new ArrayList<>();
        for (AppendResult r : appends) {
            for (long p = r.firstPosition(); p <= r.lastPosition(); p++) out.add(p);
        }
        assertThat(out).as("the appends' positions, in order").isSorted().doesNotHaveDuplicates();
        return out;
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

        assertThat(r.sessionId()).isEqualTo("s1");
        assertThat(r.firstVersion()).isEqualTo(1);
        assertThat(r.lastVersion()).isEqualTo(2);
        contiguous(r, 2);
        List<RecordedEvent> read = store.read("s1", 1);
        assertThat(read).extracting(RecordedEvent::event).containsExactly(first, second);
        assertThat(read).extracting(RecordedEvent::version).containsExactly(1L, 2L);
        assertThat(read).extracting(RecordedEvent::position).containsExactly(r.firstPosition(), r.lastPosition());
        assertThat(read.getFirst().event().schemaVersion()).isEqualTo(Event.SCHEMA_VERSION);
        assertThat(store.version("s1")).isEqualTo(2);
        assertThat(store.lastPosition()).isEqualTo(r.lastPosition());
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
        AppendResult start = store.append("s", ExpectedVersion.NO_STREAM, events("s", 0, 1));
        List<Event> batch = events("s", 1, 3);
        AppendResult first = contiguous(store.append("s", ExpectedVersion.exact(1), batch), 3);
        AppendResult other = contiguous(store.append("other", ExpectedVersion.ANY, events("other", 0, 1)), 1);
        positions(start, first, other);

        assertThat(store.append("s", ExpectedVersion.exact(1), batch)).isEqualTo(first);
        assertThat(store.append("s", ExpectedVersion.ANY, batch)).isEqualTo(first);
        assertThat(store.version("s")).isEqualTo(4);

        EventStore again = reopen(store, MAX);
        assertThat(again.append("s", ExpectedVersion.exact(1), batch)).isEqualTo(first);
        assertThat(again.read("s", 1)).hasSize(4);
        assertThat(again.lastPosition()).isEqualTo(other.lastPosition());
    }

    @Test
    void theSameIdsAtAnotherPositionAreAConflict() {
        EventStore store = open(MAX);
        List<Event> batch = events("s", 0, 2);
        AppendResult stored = contiguous(store.append("s", ExpectedVersion.ANY, batch), 2);

        Event e0 = batch.getFirst();
        Event sameIdOtherSession = new Event(e0.eventId(), e0.eventType(), e0.timestamp(), "t", null, null, e0.payload(), 1);
        assertThatThrownBy(() -> store.append("t", ExpectedVersion.ANY, List.of(sameIdOtherSession)))
                .isInstanceOf(DuplicateEventError.class);
        // A run of stored events resent in the same order is a retry too (it answers where they are) ...
        assertThat(store.append("s", ExpectedVersion.ANY, List.of(batch.get(1))))
                .isEqualTo(new AppendResult("s", 2, 2, stored.lastPosition(), stored.lastPosition()));
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
        AppendResult a1 = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 0, 3)), 3);
        AppendResult b1 = contiguous(store.append("b", ExpectedVersion.ANY, events("b", 0, 2)), 2);
        AppendResult a2 = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 3, 2)), 2);
        List<Long> positions = positions(a1, b1, a2);

        assertThat(store.read("a", 3)).extracting(RecordedEvent::version).containsExactly(3L, 4L, 5L);
        assertThat(store.read("a", 3)).extracting(RecordedEvent::position)
                .containsExactly(a1.lastPosition(), a2.firstPosition(), a2.lastPosition());
        assertThat(store.read("a", 6)).isEmpty();
        assertThat(store.read("missing", 1)).isEmpty();

        List<RecordedEvent> all = store.readAll(1, 100);
        assertThat(all).extracting(RecordedEvent::position).containsExactlyElementsOf(positions);
        assertThat(all).extracting(RecordedEvent::sessionId).containsExactly("a", "a", "a", "b", "b", "a", "a");
        assertThat(all).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 1L, 2L, 4L, 5L);
        assertThat(store.readAll(a1.firstPosition(), 100)).isEqualTo(all);
        // from inside an append, from just after one (a gap on some stores), from an append's start, capped
        assertThat(store.readAll(a1.firstPosition() + 1, 3)).extracting(RecordedEvent::position)
                .containsExactly(a1.firstPosition() + 1, a1.lastPosition(), b1.firstPosition());
        assertThat(store.readAll(a1.lastPosition() + 1, 3)).extracting(RecordedEvent::position)
                .containsExactly(b1.firstPosition(), b1.lastPosition(), a2.firstPosition());
        assertThat(store.readAll(b1.firstPosition(), 2)).extracting(RecordedEvent::position)
                .containsExactly(b1.firstPosition(), b1.lastPosition());
        assertThat(store.readAll(b1.lastPosition(), 1)).extracting(RecordedEvent::sessionId).containsExactly("b");
        assertThat(store.readAll(a2.lastPosition(), 10)).extracting(RecordedEvent::position).containsExactly(a2.lastPosition());
        assertThat(store.readAll(a2.lastPosition() + 1, 10)).isEmpty();
        assertThat(store.lastPosition()).isEqualTo(a2.lastPosition());
    }

    @Test
    void listsSessions() {
        EventStore store = open(MAX);
        AppendResult a = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 0, 3)), 3);
        AppendResult b1 = contiguous(store.append("b", ExpectedVersion.ANY, events("b", 0, 1)), 1);
        AppendResult b2 = store.append("b", ExpectedVersion.ANY, List.of(Event.of(EventType.SESSION_ENDED, "b", Map.of())));
        positions(a, b1, contiguous(b2, 1));

        assertThat(store.sessions()).containsExactlyInAnyOrder(
                new StreamInfo("a", 3, a.lastPosition(), false), new StreamInfo("b", 2, b2.lastPosition(), true));
    }

    @Test
    void subscriptionCatchesUpThenFollowsLiveEventsInOrder() throws Exception {
        EventStore store = open(MAX);
        AppendResult a1 = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 0, 3)), 3);
        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        AppendResult b1;
        AppendResult a2;
        try (Subscription sub = store.subscribe(a1.firstPosition() + 1, seen::add)) {
            b1 = contiguous(store.append("b", ExpectedVersion.ANY, events("b", 0, 2)), 2);
            a2 = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 3, 1)), 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (seen.size() < 5 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(sub.failure()).isNull();
        }
        List<Long> expected = new ArrayList<>(positions(a1, b1, a2).subList(1, 6));
        assertThat(seen).extracting(RecordedEvent::position).containsExactlyElementsOf(expected);
        assertThat(seen).extracting(e -> e.sessionId() + "@" + e.version())
                .containsExactly("a@2", "a@3", "b@1", "b@2", "a@4");
    }

    @Test
    void subscriptionStepsOverTheGapsOfDeletedSessions() throws Exception {
        EventStore store = open(MAX);
        AppendResult a1 = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 0, 2)), 2);
        AppendResult b = contiguous(store.append("b", ExpectedVersion.ANY, events("b", 0, 2)), 2);
        store.delete("b");
        var seen = new CopyOnWriteArrayList<RecordedEvent>();
        AppendResult a2;
        try (Subscription sub = store.subscribe(1, seen::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sub.nextPosition() <= b.lastPosition() && System.nanoTime() < deadline) Thread.sleep(5);
            a2 = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 2, 1)), 1);
            while (seen.size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
            assertThat(sub.failure()).isNull();
        }
        positions(a1, b, a2);
        assertThat(seen).extracting(RecordedEvent::position).containsExactly(a1.firstPosition(), a1.lastPosition(), a2.firstPosition());
        assertThat(seen).extracting(e -> e.sessionId() + "@" + e.version()).containsExactly("a@1", "a@2", "a@3");
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
        AppendResult b = contiguous(store.append("b", ExpectedVersion.ANY, bEvents), 2);
        AppendResult lastA = contiguous(store.append("a", ExpectedVersion.ANY, events("a", 2, 1)), 1);

        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.read("a", 1)).isEmpty();
        assertThat(store.version("a")).isZero();
        assertThat(store.readAll(1, 10)).extracting(RecordedEvent::sessionId).containsExactly("b", "b");
        assertThat(store.readAll(1, 10)).extracting(RecordedEvent::position).containsExactlyElementsOf(positions(b));
        assertThat(store.sessions()).extracting(StreamInfo::sessionId).containsExactly("b");

        EventStore again = reopen(store, MAX);
        assertThat(again.read("a", 1)).isEmpty();
        AppendResult restarted = contiguous(again.append("a", ExpectedVersion.NO_STREAM, events("a", 0, 1)), 1);
        assertThat(restarted.sessionId()).isEqualTo("a");
        assertThat(restarted.firstVersion()).isEqualTo(1);
        // the deleted session's positions are not given out again
        assertThat(restarted.firstPosition()).isGreaterThan(lastA.lastPosition());
        assertThat(again.lastPosition()).isEqualTo(restarted.lastPosition());
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
        int perSession = 4 * IntStream.range(0, perWriter).map(i -> 1 + i % 3).sum(); // 4 writers a session
        int total = 4 * perSession;
        record Appended(AppendResult result, List<Event> batch) { }
        var appended = new CopyOnWriteArrayList<Appended>();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            var futures = new ArrayList<Future<?>>();
            for (int w = 0; w < writers; w++) {
                String session = "w" + (w % 4);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        List<Event> batch = events(session, i, 1 + i % 3);
                        appended.add(new Appended(store.append(session, ExpectedVersion.ANY, batch), batch));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        List<RecordedEvent> all = store.readAll(1, 10_000);
        assertThat(all).hasSize(total);
        List<Long> positions = all.stream().map(RecordedEvent::position).toList();
        assertThat(positions.getFirst()).isPositive();
        assertThat(positions).as("strictly increasing").isSorted().doesNotHaveDuplicates();
        assertThat(store.lastPosition()).isEqualTo(positions.getLast());
        // each append's events sit at the positions and versions its result names, contiguous and in its order
        Map<Long, RecordedEvent> byPosition = new HashMap<>();
        for (RecordedEvent e : all) byPosition.put(e.position(), e);
        assertThat(appended).hasSize(writers * perWriter);
        long covered = 0;
        for (Appended a : appended) {
            AppendResult r = contiguous(a.result(), a.batch().size());
            for (int k = 0; k < a.batch().size(); k++) {
                RecordedEvent e = byPosition.get(r.firstPosition() + k);
                assertThat(e).as("event %d of %s", k, r).isNotNull();
                assertThat(e.event()).isEqualTo(a.batch().get(k));
                assertThat(e.version()).isEqualTo(r.firstVersion() + k);
            }
            covered += a.batch().size();
        }
        assertThat(covered).isEqualTo(total);
        for (int s = 0; s < 4; s++) {
            List<Long> versions = new ArrayList<>(store.read("w" + s, 1).stream().map(RecordedEvent::version).toList());
            assertThat(versions).isSorted().hasSize(perSession).first().isEqualTo(1L);
            assertThat(versions.getLast()).isEqualTo((long) perSession);
        }
        assertThat(all.stream().map(e -> e.event().eventId()).distinct().count()).isEqualTo(total);
    }
}
