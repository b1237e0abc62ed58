package io.sigil.approval;

import io.sigil.events.Event;
import io.sigil.events.EventStore;
import io.sigil.events.EventType;
import io.sigil.events.ExpectedVersion;
import io.sigil.events.file.FileEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ApprovalIndex} over the file store, with batches small enough that catching up takes several reads. */
class ApprovalIndexTest {
    @TempDir Path dir;

    private static Event message(String session) {
        return Event.of(EventType.MESSAGE_ADDED, session, Map.of("role", "user", "content", "hi"));
    }

    private static Event requested(String session, String call) {
        return Event.of(EventType.APPROVAL_REQUESTED, session, Map.of("run_id", "r-" + session, "call_id", call));
    }

    @Test
    void indexesTheSessionsWithApprovalsAndFollowsTheirVersions() {
        try (EventStore store = FileEventStore.open(dir.resolve("state"), 1_000)) {
            for (int i = 0; i < 10; i++) store.append("plain-" + i, ExpectedVersion.ANY, List.of(message("plain-" + i)));
            store.append("held", ExpectedVersion.ANY, List.of(message("held"), requested("held", "c1")));
            ApprovalIndex index = new ApprovalIndex(store, 3);

            assertThat(index.sessions()).containsExactly(Map.entry("held", 2L));

            store.append("held", ExpectedVersion.ANY, List.of(message("held")));
            store.append("plain-0", ExpectedVersion.ANY, List.of(message("plain-0")));
            store.append("late", ExpectedVersion.ANY, List.of(message("late"), message("late"), requested("late", "c2")));
            assertThat(index.sessions()).as("events after the approval move its session's version; others stay out")
                    .containsOnly(Map.entry("held", 3L), Map.entry("late", 3L));

            assertThat(store.delete("held")).isTrue();
            index.prune();
            assertThat(index.sessions()).containsOnlyKeys("late");
        }
    }
}
