package io.sigil.events.file;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SessionTableTest {

    /** Session ids of every shape the store accepts: generated UUIDs, clients' UUIDs in other spellings, names. */
    private static String sessionId(Random random, int i) {
        return switch (i % 7) {
            case 0 -> "chat-" + i;
            case 1 -> UUID.randomUUID().toString().toUpperCase();     // not canonical: kept as a name
            case 2 -> new UUID(42, i).toString();                      // halves differing in one bit pattern
            default -> new UUID(random.nextLong(), random.nextLong()).toString();
        };
    }

    @Test
    void agreesWithAMapOfListsThroughGrowthInterleavingDeletionAndReuse() {
        var random = new Random(11);
        var table = new SessionTable();
        Map<String, List<Long>> reference = new HashMap<>();
        Set<String> ended = new HashSet<>();
        List<String> ids = new ArrayList<>();
        long position = 0;
        for (int round = 0; round < 60_000; round++) {
            int op = random.nextInt(100);
            if (op < 40 || ids.isEmpty()) {                       // a new session with a contiguous batch
                String id = sessionId(random, round);
                ids.add(id);
                int s = table.findOrAdd(id);
                for (int k = 1 + random.nextInt(4); k > 0; k--) {
                    table.add(s, ++position);
                    reference.computeIfAbsent(id, x -> new ArrayList<>()).add(position);
                }
            } else if (op < 90) {                                 // more events for a random session, interleaved
                String id = ids.get(random.nextInt(ids.size()));
                int s = table.findOrAdd(id);
                table.add(s, ++position);
                reference.computeIfAbsent(id, x -> new ArrayList<>()).add(position);
                if (random.nextInt(10) == 0) {
                    table.markEnded(s);
                    ended.add(id);
                }
            } else {                                              // deletion
                String id = ids.remove(random.nextInt(ids.size()));
                List<Long> removed = new ArrayList<>();
                table.remove(table.find(id), removed::add);
                assertThat(removed).isEqualTo(reference.remove(id));
                ended.remove(id);
                assertThat(table.find(id)).isEqualTo(SessionTable.NONE);
            }
        }
        assertThat(table.size()).isEqualTo(reference.size());
        for (var e : reference.entrySet()) {
            int s = table.find(e.getKey());
            List<Long> positions = e.getValue();
            assertThat(s).isNotEqualTo(SessionTable.NONE);
            assertThat(table.id(s)).isEqualTo(e.getKey());
            assertThat(table.count(s)).isEqualTo(positions.size());
            assertThat(table.ended(s)).isEqualTo(ended.contains(e.getKey()));
            for (int v = 1; v <= positions.size(); v++) {
                long p = positions.get(v - 1);
                assertThat(table.position(s, v)).isEqualTo(p);
                assertThat(table.versionAt(s, p)).isEqualTo(v);
                assertThat(table.versionAt(s, p + 1)).isEqualTo(v < positions.size() && positions.get(v) == p + 1 ? v + 1 : -1);
                assertThat(table.countUpTo(s, p)).isEqualTo(v);
                assertThat(table.countUpTo(s, p - 1)).isEqualTo(v - 1);
            }
            int from = positions.size() / 2;
            assertThat(table.positions(s, from, positions.size()))
                    .containsExactly(positions.subList(from, positions.size()).stream().mapToLong(Long::longValue).toArray());
        }
        Set<String> listed = new HashSet<>();
        table.forEach(s -> listed.add(table.id(s)));
        assertThat(listed).isEqualTo(reference.keySet());
        assertThat(table.find("never-seen")).isEqualTo(SessionTable.NONE);
        assertThat(table.find(UUID.randomUUID().toString())).isEqualTo(SessionTable.NONE);
    }

    @Test
    void contiguousSessionsStayCompactUntilTheirEventsInterleave() {
        var table = new SessionTable();
        int a = table.findOrAdd("0f8e1c2a-9b7d-4e6f-8a5b-3c2d1e0f9a8b");
        int b = table.findOrAdd("named");
        table.add(a, 1);
        table.add(a, 2);
        table.add(b, 3);
        table.add(a, 4);

        assertThat(table.positions(a, 0, 3)).containsExactly(1, 2, 4);
        assertThat(table.versionAt(a, 3)).isEqualTo(-1);
        assertThat(table.countUpTo(a, 3)).isEqualTo(2);
        assertThat(table.position(b, 1)).isEqualTo(3);
        assertThat(table.versionAt(b, 2)).isEqualTo(-1);
        assertThat(table.countUpTo(b, 2)).isZero();
    }

    @Test
    void onlyTheExactUuidSpellingIsKeyedByItsHalves() {
        assertThat(SessionTable.isCanonicalUuid("0f8e1c2a-9b7d-4e6f-8a5b-3c2d1e0f9a8b")).isTrue();
        assertThat(SessionTable.isCanonicalUuid("0F8E1C2A-9B7D-4E6F-8A5B-3C2D1E0F9A8B")).isFalse();
        assertThat(SessionTable.isCanonicalUuid("0f8e1c2a9b7d4e6f8a5b3c2d1e0f9a8b")).isFalse();
        assertThat(SessionTable.isCanonicalUuid("0f8e1c2a-9b7d-4e6f-8a5b-3c2d1e0f9a8g")).isFalse();
        assertThat(SessionTable.isCanonicalUuid("0f8e1c2a-9b7d-4e6f-8a5b_3c2d1e0f9a8b")).isFalse();

        var table = new SessionTable();
        int lower = table.findOrAdd("0f8e1c2a-9b7d-4e6f-8a5b-3c2d1e0f9a8b");
        int upper = table.findOrAdd("0F8E1C2A-9B7D-4E6F-8A5B-3C2D1E0F9A8B");
        assertThat(lower).isNotEqualTo(upper);
        assertThat(table.id(upper)).isEqualTo("0F8E1C2A-9B7D-4E6F-8A5B-3C2D1E0F9A8B");
        assertThat(table.id(lower)).isEqualTo("0f8e1c2a-9b7d-4e6f-8a5b-3c2d1e0f9a8b");
    }
}
