package io.sigil.memory.eval;

import java.util.List;
import java.util.Set;

/** Ranking metrics with binary relevance, cut at k. */
public final class Metrics {
    private Metrics() { }

    /** Share of the relevant ids found in the first k. */
    public static double recall(List<String> ranked, Set<String> relevant, int k) {
        long found = ranked.stream().limit(k).filter(relevant::contains).count();
        return (double) found / relevant.size();
    }

    /** 1 / rank of the first relevant id within k, or 0. */
    public static double reciprocalRank(List<String> ranked, Set<String> relevant, int k) {
        for (int i = 0; i < Math.min(k, ranked.size()); i++) if (relevant.contains(ranked.get(i))) return 1.0 / (i + 1);
        return 0;
    }

    /** DCG of the first k over the DCG of a perfect ranking. */
    public static double ndcg(List<String> ranked, Set<String> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            if (relevant.contains(ranked.get(i))) dcg += 1 / log2(i + 2);
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(k, relevant.size()); i++) ideal += 1 / log2(i + 2);
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /** The p-th percentile (0..100) of sorted values, nearest rank. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double log2(double x) { return Math.log(x) / Math.log(2); }
}
