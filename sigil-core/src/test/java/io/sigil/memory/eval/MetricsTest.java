package io.sigil.memory.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    private final List<String> ranked = List.of("x", "a", "y", "b");

    @Test
    void recallMrrAndNdcgAtK() {
        Set<String> relevant = Set.of("a", "b");
        assertThat(Metrics.recall(ranked, relevant, 2)).isEqualTo(0.5);
        assertThat(Metrics.recall(ranked, relevant, 4)).isEqualTo(1.0);
        assertThat(Metrics.reciprocalRank(ranked, relevant, 4)).isEqualTo(0.5);
        assertThat(Metrics.reciprocalRank(ranked, Set.of("z"), 4)).isZero();
        double dcg = 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(5) / Math.log(2));
        double ideal = 1 + 1 / (Math.log(3) / Math.log(2));
        assertThat(Metrics.ndcg(ranked, relevant, 4)).isCloseTo(dcg / ideal, within(1e-12));
    }

    @Test
    void nearestRankPercentiles() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Metrics.percentile(sorted, 50)).isEqualTo(5);
        assertThat(Metrics.percentile(sorted, 95)).isEqualTo(10);
        assertThat(Metrics.percentile(new double[0], 50)).isNaN();
    }
}
