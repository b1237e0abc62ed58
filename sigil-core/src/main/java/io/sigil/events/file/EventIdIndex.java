package io.sigil.events.file;

import java.util.UUID;
import java.util.function.LongPredicate;

/**
 * Event id to log position, for every event in the log (duplicate detection and idempotent retries).
 *
 * <p>Primitive open addressing instead of a {@code HashMap<UUID, Long>}: at millions of events the map's three
 * objects per entry (node, UUID, Long; about 115 bytes) made every young garbage collection of the server scan them,
 * which was most of its pause time; here an entry costs 24 bytes a slot, in one array (id halves and position side by
 * side: one cache line per probe). The table is split into 256 shards by hash so that growing never rehashes
 * everything at once: one table of six million events took 120 ms to rehash, with every append waiting behind the
 * store's lock. Positions start at 1; 0 marks an empty slot. Not thread-safe (the store's index lock guards it).
 */
final class EventIdIndex {
    private static final int SHARD_BITS = 8;
    private final Shard[] shards = new Shard[1 << SHARD_BITS];
    private int size;

    EventIdIndex() {
        for (int i = 0; i < shards.length; i++) shards[i] = new Shard(16);
    }

    int size() { return size; }

    /** The position of an event id, or 0 when it is not in the log. */
    long positionOf(UUID id) {
        long h = id.getMostSignificantBits(), l = id.getLeastSignificantBits();
        int hash = spread(h, l);
        Shard s = shard(hash);
        return s.slots[s.find(h, l, hash) + 2];
    }

    /** Records {@code id} at {@code position} unless it is there already; returns the existing position or 0. */
    long putIfAbsent(UUID id, long position) { return putIfAbsent(id, position, p -> false); }

    /**
     * Like {@link #putIfAbsent(UUID, long)}, but an id recorded at a position {@code deleted} accepts counts as
     * absent and is recorded again at {@code position}.
     */
    long putIfAbsent(UUID id, long position, LongPredicate deleted) {
        if (position <= 0) throw new IllegalArgumentException("positions start at 1, got " + position);
        long h = id.getMostSignificantBits(), l = id.getLeastSignificantBits();
        int hash = spread(h, l);
        Shard s = shard(hash);
        int i = s.find(h, l, hash);
        long existing = s.slots[i + 2];
        if (existing != 0) {
            if (!deleted.test(existing)) return existing;
            s.slots[i + 2] = position;
            return 0;
        }
        s.slots[i] = h;
        s.slots[i + 1] = l;
        s.slots[i + 2] = position;
        size++;
        if (++s.size * 4L >= s.capacity() * 3L) s.rebuild(s.capacity() * 2, p -> false);
        return 0;
    }

    /** Drops every id whose position {@code removed} accepts (a deleted session's events). */
    void removeIf(LongPredicate removed) {
        size = 0;
        for (Shard s : shards) {
            s.rebuild(s.capacity(), removed);
            size += s.size;
        }
    }

    private Shard shard(int hash) { return shards[hash >>> (32 - SHARD_BITS)]; }

    /** Random UUIDs are already uniform, but ids may come from clients: mix both halves. */
    private static int spread(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 33;
        x *= 0xC2B2AE3D27D4EB4FL;
        return (int) (x ^ (x >>> 29));
    }

    /** One open-addressing table: slot k holds the id's halves and its position at 3k, 3k + 1 and 3k + 2. */
    private static final class Shard {
        long[] slots;
        int size;

        Shard(int capacity) { slots = new long[capacity * 3]; }

        int capacity() { return slots.length / 3; }

        /** The index of the slot holding the id, or of the empty slot where it would go (linear probing). */
        int find(long h, long l, int hash) {
            int mask = capacity() - 1;
            int k = hash & mask;
            while (slots[k * 3 + 2] != 0 && (slots[k * 3] != h || slots[k * 3 + 1] != l)) k = (k + 1) & mask;
            return k * 3;
        }

        void rebuild(int capacity, LongPredicate drop) {
            long[] old = slots;
            slots = new long[capacity * 3];
            size = 0;
            for (int j = 0; j < old.length; j += 3) {
                long p = old[j + 2];
                if (p == 0 || drop.test(p)) continue;
                int i = find(old[j], old[j + 1], spread(old[j], old[j + 1]));
                slots[i] = old[j];
                slots[i + 1] = old[j + 1];
                slots[i + 2] = p;
                size++;
            }
        }
    }
}
