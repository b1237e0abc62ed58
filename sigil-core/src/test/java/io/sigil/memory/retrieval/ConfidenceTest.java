package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfidenceTest {
    private static List<Hit> scores(double... s) {
        return Arrays.stream(s).mapToObj(v -> new Hit(
                new MemoryItem("i" + v, null, "x", "general", 1, Map.of(), Scope.GLOBAL, Instant.EPOCH), v)).toList();
    }

    @Test
    void noResultsIsZero() { assertThat(Confidence.of(List.of())).isZero(); }

    @Test
    void aClearWinnerOverAFlatTailIsConfident() {
        // top 1.0 -> 0.4; gap 1.0 - 0.2 = 0.8 -> 0.3; variance 0.0711 -> 0.2 x 0.356 = 0.071; near 0 -> 0
        assertThat(Confidence.of(scores(1.0, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2))).isEqualTo(0.758);
    }

    @Test
    void aFlatListIsNotConfident() {
        // top 0.3 -> 0.24; gap 0 -> 0; variance 0 -> 0; nine near the top -> 0.1
        assertThat(Confidence.of(scores(0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3))).isEqualTo(0.34);
    }
}
