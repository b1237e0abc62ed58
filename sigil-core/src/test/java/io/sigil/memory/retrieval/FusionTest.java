package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FusionTest {
    private static Hit hit(String id, double score) {
        return new Hit(new MemoryItem(id, null, id, "general", 1, Map.of(), Scope.GLOBAL, Instant.EPOCH), score);
    }

    @Test
    void reciprocalRankSumsWeightedInverseRanksAndScalesTheBestPossibleToOne() {
        var fused = new Fusion.ReciprocalRank(60, 1, 1).fuse(
                List.of(hit("a", 9), hit("b", 5)), List.of(hit("b", 0.8), hit("c", 0.7)));

        assertThat(fused).extracting(h -> h.item().id()).containsExactly("b", "a", "c");
        double max = 2 / 61.0;
        assertThat(fused.get(0).score()).isCloseTo((1 / 62.0 + 1 / 61.0) / max, within(1e-9));
        assertThat(fused.get(1).score()).isCloseTo((1 / 61.0) / max, within(1e-9));
    }

    @Test
    void weightedScoreNormalisesEachListAndMissingCountsAsTheFloor() {
        var fusion = new Fusion.WeightedScore(0.5, Fusion.Normalization.MAX, Fusion.Normalization.MIN_MAX);
        var fused = fusion.fuse(
                List.of(hit("a", 10), hit("b", 5)),
                List.of(hit("b", 0.9), hit("c", 0.5), hit("a", 0.7)));

        // a: 0.5*1 + 0.5*0.5 = 0.75; b: 0.5*0.5 + 0.5*1 = 0.75; c: 0 + 0 = 0
        assertThat(fused).hasSize(3);
        assertThat(fused.get(2).item().id()).isEqualTo("c");
        assertThat(fused.get(2).score()).isCloseTo(0, within(1e-9));
        assertThat(fused.get(0).score()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void normalisationsMapToTheUnitInterval() {
        double[] s = {2, 4, 6};
        assertThat(Fusion.Normalization.MAX.apply(s)).containsExactly(2 / 6.0, 4 / 6.0, 1.0);
        assertThat(Fusion.Normalization.MIN_MAX.apply(s)).containsExactly(0.0, 0.5, 1.0);
        assertThat(Fusion.Normalization.Z_SCORE.apply(s)[1]).isCloseTo(0.5, within(1e-9));
    }
}
