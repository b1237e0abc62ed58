package io.sigil.events.file;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkedTest {

    @Test
    void unsetEntriesReadAsZeroOrNullAndSetOnesAcrossChunksStay() {
        var longs = new Chunked.Longs();
        var ints = new Chunked.Ints();
        var refs = new Chunked.Refs<String>();
        long far = 5L * Chunked.SIZE + 3;
        assertThat(longs.get(far)).isZero();
        assertThat(ints.get(far)).isZero();
        assertThat(refs.get(far)).isNull();

        for (long i = 0; i < 3L * Chunked.SIZE; i += 7) {
            longs.set(i, i * 3);
            ints.set(i, (int) i + 1);
        }
        refs.set(far, "x");
        refs.set(far + Chunked.SIZE, null); // a null never allocates a chunk

        for (long i = 0; i < 3L * Chunked.SIZE; i++) {
            assertThat(longs.get(i)).isEqualTo(i % 7 == 0 ? i * 3 : 0);
            assertThat(ints.get(i)).isEqualTo(i % 7 == 0 ? (int) i + 1 : 0);
        }
        assertThat(refs.get(far)).isEqualTo("x");
        assertThat(refs.get(far + Chunked.SIZE)).isNull();
    }
}
