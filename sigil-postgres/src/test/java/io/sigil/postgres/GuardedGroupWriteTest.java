package io.sigil.postgres;

import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which groups may take the one-round-trip write: only those whose every session version this process can state
 * (the rest go the careful way, read-decide-write, which gives the exact error). The write itself, and a guess
 * made stale by another process, are tested against PostgreSQL in {@link PostgresEventStoreIT}.
 */
class GuardedGroupWriteTest {
    private static final long GEN = 4;
    private final SessionVersions seen = new SessionVersions(3);

    GuardedGroupWriteTest() {
        seen.generation(GEN);
    }

    private static AppendRequest append(String session, ExpectedVersion expected, int events) {
        return append(session, expected, events, false);
    }

    private static AppendRequest append(String session, ExpectedVersion expected, int events, boolean admin) {
        List<Event> batch = java.util.stream.IntStream.range(0, events)
                .mapToObj(i -> Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "m" + i))).toList();
        return new AppendRequest(session, expected, batch, new String[events], admin, new PendingAppend());
    }

    private void saw(String session, long version) {
        seen.put(session, new SessionVersions.Seen(version, false, true), GEN);
    }

    @Test
    void nothingIsGuessedBeforeTheDeletionGenerationIsKnown() {
        var fresh = new SessionVersions(3);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.NO_STREAM, 1)), fresh, 100)).isNull();
        fresh.generation(0);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.NO_STREAM, 1)), fresh, 100)).isNotNull();
    }

    @Test
    void exactAndNoStreamStateTheirVersionEvenForSessionsNeverSeen() {
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(4), 1),
                append("b", ExpectedVersion.NO_STREAM, 2)), seen, 100)).isNotNull();
    }

    @Test
    void anyAndExistsNeedTheVersionThisProcessLastSaw() {
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.ANY, 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.EXISTS, 1)), seen, 100)).isNull();
        saw("a", 7);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.ANY, 1)), seen, 100)).isNotNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.EXISTS, 1)), seen, 100)).isNotNull();
    }

    @Test
    void aKnownMismatchTwoAppendsToOneSessionOrAFullSessionGoTheCarefulWay() {
        saw("a", 7);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(6), 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.NO_STREAM, 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("b", ExpectedVersion.exact(0), 1),
                append("b", ExpectedVersion.exact(1), 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(7), 4)), seen, 10)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(7), 3)), seen, 10)).isNotNull();
    }

    @Test
    void aSessionSeenEndedOrAnAdminAppendToOneNeverSeenGoTheCarefulWay() {
        seen.put("a", new SessionVersions.Seen(3, true, true), GEN);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.ANY, 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.ANY, 1, true)), seen, 100)).isNotNull();
        assertThat(GuardedGroupWrite.of(List.of(append("b", ExpectedVersion.exact(2), 1, true)), seen, 100)).isNull();
    }

    @Test
    void anotherGenerationForgetsEverySessionAndALateWriteOfTheOldOneIsIgnored() {
        saw("a", 7);
        seen.generation(GEN + 1); // a session was deleted somewhere
        assertThat(seen.get("a")).isNull();
        seen.put("a", new SessionVersions.Seen(8, false, true), GEN); // a write decided under the old generation
        assertThat(seen.get("a")).isNull();
        seen.put("a", new SessionVersions.Seen(8, false, true), GEN + 1);
        assertThat(seen.get("a").version()).isEqualTo(8);
    }

    @Test
    void theRememberedVersionsAreBoundedLeastRecentlyUsedFirst() {
        saw("a", 1);
        saw("b", 2);
        saw("c", 3);
        assertThat(seen.get("a").version()).isEqualTo(1); // a is now the most recently used
        saw("d", 4);
        assertThat(seen.get("b")).isNull();
        assertThat(seen.get("a").version()).isEqualTo(1);
        seen.forget("a");
        assertThat(seen.get("a")).isNull();
    }
}
