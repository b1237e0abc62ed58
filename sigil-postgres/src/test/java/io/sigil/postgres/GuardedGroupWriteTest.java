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
    private final SessionVersions seen = new SessionVersions(3);

    private static AppendRequest append(String session, ExpectedVersion expected, int events) {
        List<Event> batch = java.util.stream.IntStream.range(0, events)
                .mapToObj(i -> Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "m" + i))).toList();
        return new AppendRequest(session, expected, batch, new String[events], false, new PendingAppend());
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
        seen.put("a", 7);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.ANY, 1)), seen, 100)).isNotNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.EXISTS, 1)), seen, 100)).isNotNull();
    }

    @Test
    void aKnownMismatchTwoAppendsToOneSessionOrAFullSessionGoTheCarefulWay() {
        seen.put("a", 7);
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(6), 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.NO_STREAM, 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("b", ExpectedVersion.exact(0), 1),
                append("b", ExpectedVersion.exact(1), 1)), seen, 100)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(7), 4)), seen, 10)).isNull();
        assertThat(GuardedGroupWrite.of(List.of(append("a", ExpectedVersion.exact(7), 3)), seen, 10)).isNotNull();
    }

    @Test
    void theRememberedVersionsAreBoundedLeastRecentlyUsedFirst() {
        seen.put("a", 1);
        seen.put("b", 2);
        seen.put("c", 3);
        assertThat(seen.get("a")).isEqualTo(1); // a is now the most recently used
        seen.put("d", 4);
        assertThat(seen.get("b")).isEqualTo(-1);
        assertThat(seen.get("a")).isEqualTo(1);
        seen.forget("a");
        assertThat(seen.get("a")).isEqualTo(-1);
    }
}
