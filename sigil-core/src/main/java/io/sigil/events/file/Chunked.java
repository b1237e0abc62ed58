package io.sigil.events.file;

import java.util.Arrays;

/**
 * Growable arrays made of fixed-size chunks, for the store's in-memory index. Growing one adds a chunk and never
 * copies what is stored: doubling one big array (tens of megabytes after millions of events) stalled every append
 * behind the store's write lock for tens of milliseconds. Indexes start at 0; unset entries read as 0 or null.
 */
final class Chunked {
    static final int SHIFT = 14;
    static final int SIZE = 1 << SHIFT;
    static final int MASK = SIZE - 1;

    private Chunked() { }

    /** Longs. */
    static final class Longs {
        private long[][] chunks = new long[4][];

        long get(long i) {
            int c = (int) (i >>> SHIFT);
            long[] chunk = c < chunks.length ? chunks[c] : null;
            return chunk == null ? 0 : chunk[(int) (i & MASK)];
        }

        void set(long i, long value) { chunk(i)[(int) (i & MASK)] = value; }

        private long[] chunk(long i) {
            int c = (int) (i >>> SHIFT);
            if (c >= chunks.length) chunks = Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
            if (chunks[c] == null) chunks[c] = new long[SIZE];
            return chunks[c];
        }
    }

    /** Ints. */
    static final class Ints {
        private int[][] chunks = new int[4][];

        int get(long i) {
            int c = (int) (i >>> SHIFT);
            int[] chunk = c < chunks.length ? chunks[c] : null;
            return chunk == null ? 0 : chunk[(int) (i & MASK)];
        }

        void set(long i, int value) { chunk(i)[(int) (i & MASK)] = value; }

        private int[] chunk(long i) {
            int c = (int) (i >>> SHIFT);
            if (c >= chunks.length) chunks = Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
            if (chunks[c] == null) chunks[c] = new int[SIZE];
            return chunks[c];
        }
    }

    /** References; chunks are allocated on the first non-null value written to them. */
    static final class Refs<T> {
        private Object[][] chunks = new Object[4][];

        @SuppressWarnings("unchecked")
        T get(long i) {
            int c = (int) (i >>> SHIFT);
            Object[] chunk = c < chunks.length ? chunks[c] : null;
            return chunk == null ? null : (T) chunk[(int) (i & MASK)];
        }

        void set(long i, T value) {
            int c = (int) (i >>> SHIFT);
            if (value == null && (c >= chunks.length || chunks[c] == null)) return;
            if (c >= chunks.length) chunks = Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
            if (chunks[c] == null) chunks[c] = new Object[SIZE];
            chunks[c][(int) (i & MASK)] = value;
        }
    }
}
