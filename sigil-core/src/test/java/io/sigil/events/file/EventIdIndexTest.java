package io.sigil.events.file;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventIdIndexTest {

    @Test
    void agreesWithAHashMapThroughGrowthDuplicatesAndRemovals() {
        var random = new Random(7);
        var index = new EventIdIndex();
        Map<UUID, Long> reference = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        for (long p = 1; p <= 50_000; p++) {
            // a few ids differ only in one half, as client-chosen ids may
            UUID id = p % 10 == 0 ? new UUID(42, p) : new UUID(random.nextLong(), random.nextLong());
            ids.add(id);
            assertThat(index.putIfAbsent(id, p)).isZero();
            reference.put(id, p);
        }
        assertThat(index.size()).isEqualTo(50_000);
        assertThat(index.putIfAbsent(ids.get(123), 99_999)).as("a repeated id keeps its first position").isEqualTo(124);
        for (UUID id : ids) assertThat(index.positionOf(id)).isEqualTo(reference.get(id));
        assertThat(index.positionOf(new UUID(1, 2))).isZero();

        index.removeIf(p -> p % 2 == 0);
        assertThat(index.size()).isEqualTo(25_000);
        for (UUID id : ids) {
            long p = reference.get(id);
            assertThat(index.positionOf(id)).isEqualTo(p % 2 == 0 ? 0 : p);
        }
        assertThat(index.putIfAbsent(ids.get(1), 2)).as("a removed id can be recorded again").isZero();
    }

    @Test
    void positionsStartAtOne() {
        assertThatThrownBy(() -> new EventIdIndex().putIfAbsent(UUID.randomUUID(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
