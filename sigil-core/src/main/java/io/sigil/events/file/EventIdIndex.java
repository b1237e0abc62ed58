package io.sigil.events.file;

import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Event id to log position, for every event in the log (duplicate detection and idempotent retries). An open
 * addressing table over three primitive arrays instead of a {@code HashMap<UUID, Long>}: at millions of events the
 * map's three objects per entry (node, UUID, Long; about 115 bytes) made every young garbage collection of the
 * server scan them, which was most of its pause time. Primitive arrays are never scanned, and an entry costs 24
 * bytes a slot. Positions start at 1; 0 marks an empty slot. Not thread-safe (the store's index lock guards it).
 */
final class EventIdIndex {
    private long[] high;
    private long[] low;
    private long[] positions;
    private int size;

    EventIdIndex() { allocate(1 << 12); }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        positions = new long[capacity];
        size = 0;
    }

    int size() { return size; }

    /** The position of an event id, or 0 when it is not in the log. */
    long positionOf(UUID id) {
        int i = find(id.getMostSignificantBits(), id.getLeastSignificantBits());
        return positions[i];
    }

    /** Records {@code id} at {@code position} unless it is there already; returns the existing position or 0. */
    long putIfAbsent(UUID id, long position) {
        if (position <= 0) throw new IllegalArgumentException("positions start at 1, got " + position);
        long h = id.getMostSignificantBits(), l = id.getLeastSignificantBits();
        int i = find(h, l);
        if (positions[i] != 0) return positions[i];
        high[i] = h;
        low[i] = l;
        positions[i] = position;
        if (++size * 4L >= positions.length * 3L) rehash(positions.length * 2, p -> false);
        return 0;
    }

    /** Drops every id whose position {@code removed} accepts (a deleted session's events); rebuilds the table. */
    void removeIf(LongPredicate removed) { rehash(positions.length, removed); }

    /** The slot holding the id, or the empty slot where it would go (linear probing). */
    private int find(long h, long l) {
        int mask = positions.length - 1;
        int i = spread(h, l) & mask;
        while (positions[i] != 0 && (high[i] != h || low[i] != l)) i = (i + 1) & mask;
        return i;
    }

    /** Random UUIDs are already uniform, but ids may come from clients: mix both halves. */
    private static int spread(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 33;
        x *= 0xC2B2AE3D27D4EB4FL;
        return (int) (x ^ (x >>> 29));
    }

    private void rehash(int capacity, LongPredicate drop) {
        long[] oldHigh = high, oldLow = low, oldPositions = positions;
        allocate(capacity);
        for (int j = 0; j < oldPositions.length; j++) {
            long p = oldPositions[j];
            if (p == 0 || drop.test(p)) continue;
            int i = find(oldHigh[j], oldLow[j]);
            high[i] = oldHigh[j];
            low[i] = oldLow[j];
            positions[i] = p;
            size++;
        }
    }
}
