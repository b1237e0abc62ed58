package io.sigil.events.file;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Every session in the log, numbered internally: its event count, whether it ended, and the global position of each
 * of its versions. Sized for millions of sessions held as long as the store is open.
 *
 * <p>A session costs about 45 bytes of primitive arrays and no object while its events are contiguous in the log
 * (one append per short run, the common case: positions are then {@code first .. first + count - 1}); a session
 * whose events interleave with other sessions' gets one {@code long[]} of positions. Ids in the canonical lowercase
 * UUID form (those Sigil generates) are keyed by their two halves in an open-addressing table; any other id lives in
 * a small map. The first layout, a {@code HashMap<String, Stream>} with a {@code long[]} per session (five objects,
 * about 225 bytes), was the largest set a busy server's young collections had to trace and copy. Per-session data
 * lives in {@link Chunked} arrays and the id table is split into 64 shards, so that growing never copies or rehashes
 * everything at once while appends wait (a million sessions took 50 ms to grow in one piece).
 *
 * <p>Not thread-safe: the store's index lock guards it.
 */
final class SessionTable {
    /** The number of a session that is not in the table. */
    static final int NONE = -1;

    private static final int IN_USE = 1;
    private static final int ENDED = 2;

    private static final int SHARD_BITS = 6;
    /** UUID-keyed sessions: open addressing with linear probing; a slot holds a session number + 1, 0 when empty. */
    private final int[][] shards = new int[1 << SHARD_BITS][];
    private final int[] shardSizes = new int[1 << SHARD_BITS];
    private int uuidSessions;
    /** Sessions whose id is not a canonical UUID. */
    private final Map<String, Integer> named = new HashMap<>();

    // Per session number.
    private final Chunked.Longs high = new Chunked.Longs();
    private final Chunked.Longs low = new Chunked.Longs();
    private final Chunked.Refs<String> names = new Chunked.Refs<>();     // null for UUID-keyed sessions
    private final Chunked.Longs first = new Chunked.Longs();
    private final Chunked.Ints count = new Chunked.Ints();
    private final Chunked.Refs<long[]> scattered = new Chunked.Refs<>(); // null while contiguous
    private final Chunked.Ints flags = new Chunked.Ints();
    private int numbers;               // session numbers handed out so far
    private int[] free = new int[16];  // numbers of deleted sessions, reused first
    private int freeCount;

    SessionTable() {
        for (int i = 0; i < shards.length; i++) shards[i] = new int[64];
    }

    int size() { return uuidSessions + named.size(); }

    /** The number of a session, or {@link #NONE}. */
    int find(String sessionId) {
        if (isCanonicalUuid(sessionId)) {
            long h = half(sessionId, 0), l = half(sessionId, 19);
            int hash = spread(h, l);
            return shard(hash)[probe(h, l, hash)] - 1;
        }
        Integer n = named.get(sessionId);
        return n == null ? NONE : n;
    }

    /** The number of a session, adding it (with no events) when it is new. */
    int findOrAdd(String sessionId) {
        if (isCanonicalUuid(sessionId)) {
            long h = half(sessionId, 0), l = half(sessionId, 19);
            int hash = spread(h, l);
            int[] slots = shard(hash);
            int i = probe(h, l, hash);
            if (slots[i] != 0) return slots[i] - 1;
            int s = newNumber();
            high.set(s, h);
            low.set(s, l);
            slots[i] = s + 1;
            uuidSessions++;
            int k = hash >>> (32 - SHARD_BITS);
            if (++shardSizes[k] * 4L >= slots.length * 3L) rehash(k, slots.length * 2);
            return s;
        }
        Integer n = named.get(sessionId);
        if (n != null) return n;
        int s = newNumber();
        names.set(s, sessionId);
        named.put(sessionId, s);
        return s;
    }

    String id(int s) {
        String name = names.get(s);
        return name != null ? name : new UUID(high.get(s), low.get(s)).toString();
    }

    int count(int s) { return count.get(s); }

    boolean ended(int s) { return (flags.get(s) & ENDED) != 0; }

    void markEnded(int s) { flags.set(s, flags.get(s) | ENDED); }

    /** The global position of a version (1-based) of session {@code s}. */
    long position(int s, long version) {
        long[] p = scattered.get(s);
        return p == null ? first.get(s) + version - 1 : p[(int) (version - 1)];
    }

    /** Appends the next version of session {@code s}, stored at {@code position} (greater than its last). */
    void add(int s, long position) {
        int n = count.get(s);
        long[] p = scattered.get(s);
        if (n == 0) {
            first.set(s, position);
        } else if (p == null && position != first.get(s) + n) {
            p = new long[Math.max(8, n * 2)];
            for (int v = 0; v < n; v++) p[v] = first.get(s) + v;
            scattered.set(s, p);
        }
        if (p != null) {
            if (n == p.length) scattered.set(s, p = Arrays.copyOf(p, n * 2));
            p[n] = position;
        }
        count.set(s, n + 1);
    }

    /** How many of session {@code s}'s versions are stored at or before {@code position}. */
    int countUpTo(int s, long position) {
        int n = count.get(s);
        long[] p = scattered.get(s);
        if (p == null) return (int) Math.max(0, Math.min(n, position - first.get(s) + 1));
        int i = Arrays.binarySearch(p, 0, n, position);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The version of session {@code s} stored at {@code position}, or -1 when that position is not the session's. */
    long versionAt(int s, long position) {
        long[] p = scattered.get(s);
        if (p == null) {
            long v = position - first.get(s) + 1;
            return v >= 1 && v <= count.get(s) ? v : -1;
        }
        int i = Arrays.binarySearch(p, 0, count.get(s), position);
        return i < 0 ? -1 : i + 1;
    }

    /** The positions of versions {@code fromIndex + 1 .. toIndex} of session {@code s}. */
    long[] positions(int s, int fromIndex, int toIndex) {
        long[] p = scattered.get(s);
        if (p != null) return Arrays.copyOfRange(p, fromIndex, toIndex);
        long[] out = new long[toIndex - fromIndex];
        for (int i = 0; i < out.length; i++) out[i] = first.get(s) + fromIndex + i;
        return out;
    }

    /** Removes session {@code s}, handing each of its positions to {@code eachPosition} first. */
    void remove(int s, LongConsumer eachPosition) {
        for (int v = 1; v <= count.get(s); v++) eachPosition.accept(position(s, v));
        String name = names.get(s);
        if (name != null) {
            named.remove(name);
            names.set(s, null);
        } else {
            int hash = spread(high.get(s), low.get(s));
            removeSlot(hash, probe(high.get(s), low.get(s), hash));
            uuidSessions--;
        }
        high.set(s, 0);
        low.set(s, 0);
        first.set(s, 0);
        count.set(s, 0);
        scattered.set(s, null);
        flags.set(s, 0);
        if (freeCount == free.length) free = Arrays.copyOf(free, freeCount * 2);
        free[freeCount++] = s;
    }

    /** Calls {@code visitor} with each session's number, in no particular order. */
    void forEach(java.util.function.IntConsumer visitor) {
        for (int s = 0; s < numbers; s++) {
            if ((flags.get(s) & IN_USE) != 0) visitor.accept(s);
        }
    }

    private int newNumber() {
        int s;
        if (freeCount > 0) {
            s = free[--freeCount];
        } else {
            s = numbers++;
        }
        flags.set(s, IN_USE);
        return s;
    }

    private int[] shard(int hash) { return shards[hash >>> (32 - SHARD_BITS)]; }

    /** The slot (in its shard) holding the UUID-keyed session with these halves, or the empty slot where it would go. */
    private int probe(long h, long l, int hash) {
        int[] slots = shard(hash);
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != 0 && (high.get(slots[i] - 1) != h || low.get(slots[i] - 1) != l)) i = (i + 1) & mask;
        return i;
    }

    /** Empties slot {@code i}, moving later entries of its probe run back so that every entry stays reachable. */
    private void removeSlot(int hash, int i) {
        int[] slots = shard(hash);
        int mask = slots.length - 1;
        slots[i] = 0;
        shardSizes[hash >>> (32 - SHARD_BITS)]--;
        for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int s = slots[j] - 1;
            int home = spread(high.get(s), low.get(s)) & mask;
            boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (stays) continue;
            slots[i] = slots[j];
            slots[j] = 0;
            i = j;
        }
    }

    private void rehash(int shard, int capacity) {
        int[] old = shards[shard];
        shards[shard] = new int[capacity];
        for (int slot : old) {
            if (slot != 0) {
                long h = high.get(slot - 1), l = low.get(slot - 1);
                int hash = spread(h, l);
                shards[shard][probe(h, l, hash)] = slot;
            }
        }
    }

    /** Random UUIDs are uniform already, but session ids may come from clients: mix both halves. */
    private static int spread(long h, long l) {
        long x = h * 0x9E3779B97F4A7C15L ^ l;
        x ^= x >>> 33;
        x *= 0xC2B2AE3D27D4EB4FL;
        return (int) (x ^ (x >>> 29));
    }

    /** True for exactly the strings {@link UUID#toString()} produces, so that {@link #id} gives the id back. */
    static boolean isCanonicalUuid(String s) {
        if (s.length() != 36) return false;
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    /** The 64 bits written as 16 hex digits (dashes skipped) starting at {@code from}: 0 for the high half, 19 for the low. */
    private static long half(String s, int from) {
        long v = 0;
        for (int i = from, digits = 0; digits < 16; i++) {
            char c = s.charAt(i);
            if (c == '-') continue;
            v = (v << 4) | (c <= '9' ? c - '0' : c - 'a' + 10);
            digits++;
        }
        return v;
    }
}
