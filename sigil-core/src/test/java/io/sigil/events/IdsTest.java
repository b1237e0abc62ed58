package io.sigil.events;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    @Test
    void timeOrderedIdsAreVersion7WithTheCurrentMillisecondFirst() {
        long before = System.currentTimeMillis();
        UUID id = Ids.timeOrdered();
        long after = System.currentTimeMillis();
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
    }

    @Test
    void timeOrderedIdsAreUniqueAndSortByTheirMillisecond() throws InterruptedException {
        var seen = new HashSet<UUID>();
        for (int i = 0; i < 100_000; i++) assertThat(seen.add(Ids.timeOrdered())).isTrue();
        UUID earlier = Ids.timeOrdered();
        Thread.sleep(2);
        UUID later = Ids.timeOrdered();
        // PostgreSQL's uuid order is unsigned bytewise: the first 48 bits (the time) decide
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits())).isNegative();
    }

    @Test
    void newEventsGetTimeOrderedIds() {
        assertThat(Event.of(EventType.MESSAGE_ADDED, "s", Map.of()).eventId().version()).isEqualTo(7);
    }
}
