package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;

import java.util.List;

/**
 * How sure rag is of its ranking (sigil-design.md section 9), from the fused scores of its top 2k results:
 * <pre>
 *   0.4 x min(top / 0.5, 1)            a strong best match
 * + 0.3 x min(gap / 0.15, 1)           the best stands out from the mean of the rest
 * + 0.2 x min(variance x 5, 1)         the scores are spread, not flat
 * + 0.1 x min(near / 3, 1)             a few other results close to the best (within 0.1) agree with it
 * </pre>
 * No results is confidence 0; a single result has no gap, variance or neighbours.
 */
public final class Confidence {
    private Confidence() { }

    public static double of(List<Hit> hits) {
        if (hits.isEmpty()) return 0;
        double top = hits.getFirst().score();
        int n = hits.size();
        double mean = hits.stream().mapToDouble(Hit::score).average().orElse(0);
        double variance = hits.stream().mapToDouble(h -> (h.score() - mean) * (h.score() - mean)).sum() / n;
        double restMean = n == 1 ? top : hits.stream().skip(1).mapToDouble(Hit::score).average().orElse(top);
        long near = hits.stream().skip(1).filter(h -> h.score() >= top - 0.1).count();
        double score = Math.min(top / 0.5, 1) * 0.4
                + Math.min(Math.max(top - restMean, 0) / 0.15, 1) * 0.3
                + Math.min(variance * 5, 1) * 0.2
                + Math.min(near / 3.0, 1) * 0.1;
        return Math.round(score * 1000) / 1000.0;
    }
}
