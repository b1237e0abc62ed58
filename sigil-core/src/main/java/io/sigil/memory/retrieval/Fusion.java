package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How rag combines the BM25 list and the vector list into one ranking with scores in 0..1 (the hybrid
 * confidence score reads them).
 */
public sealed interface Fusion permits Fusion.ReciprocalRank, Fusion.WeightedScore {

    List<Hit> fuse(List<Hit> keyword, List<Hit> vector);

    String describe();

    String FORMS = "rrf[:k[:keyword weight:vector weight]] (e.g. rrf:60) or "
            + "weighted[:alpha[:keyword norm:vector norm]] (e.g. weighted:0.7, weighted:0.7:max:min_max; norms max, "
            + "min_max, z_score; alpha is BM25's share), or default";

    /**
     * Parses a fusion named on the command line, for experiments: {@code rrf:60}, {@code rrf:60:2:1},
     * {@code weighted:0.7}, {@code weighted:0.7:max:z_score}, {@code default}.
     */
    static Fusion parse(String spec, Fusion fallback) {
        String text = spec == null ? "" : spec.trim().toLowerCase(java.util.Locale.ROOT);
        String[] p = text.split(":", -1);
        try {
            return switch (p[0]) {
                case "default" -> {
                    if (p.length != 1) throw new IllegalArgumentException("default takes no parameters");
                    yield fallback;
                }
                case "rrf" -> switch (p.length) {
                    case 1 -> new ReciprocalRank(60, 1, 1);
                    case 2 -> new ReciprocalRank(positiveInt(p[1], "k"), 1, 1);
                    case 4 -> new ReciprocalRank(positiveInt(p[1], "k"), weight(p[2]), weight(p[3]));
                    default -> throw new IllegalArgumentException("rrf takes k, or k and two weights");
                };
                case "weighted" -> switch (p.length) {
                    case 1 -> new WeightedScore(0.5);
                    case 2 -> new WeightedScore(alpha(p[1]));
                    case 4 -> new WeightedScore(alpha(p[1]), Normalization.parse(p[2]), Normalization.parse(p[3]));
                    default -> throw new IllegalArgumentException("weighted takes alpha, or alpha and two norms");
                };
                default -> throw new IllegalArgumentException("unknown fusion '" + p[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new io.sigil.errors.InvalidInputError("Bad fusion '" + spec + "': " + e.getMessage(), "use " + FORMS);
        }
    }

    private static int positiveInt(String s, String what) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a whole number >= 1, got '" + s + "'");
    }

    private static double weight(String s) {
        double v = number(s, "weight");
        if (v < 0) throw new IllegalArgumentException("weights must be >= 0, got '" + s + "'");
        return v;
    }

    private static double alpha(String s) {
        double v = number(s, "alpha");
        if (v < 0 || v > 1) throw new IllegalArgumentException("alpha must be between 0 and 1, got '" + s + "'");
        return v;
    }

    private static double number(String s, String what) {
        try {
            double v = Double.parseDouble(s);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a number, got '" + s + "'");
    }

    /**
     * Reciprocal rank fusion: {@code sum of w / (k + rank)}, divided by its maximum so the best possible item
     * scores 1. Ignores score magnitudes, which is why equal weights lose to BM25 alone on conversational data.
     */
    record ReciprocalRank(int k, double keywordWeight, double vectorWeight) implements Fusion {
        @Override
        public List<Hit> fuse(List<Hit> keyword, List<Hit> vector) {
            var scores = new LinkedHashMap<String, Double>();
            var items = new LinkedHashMap<String, MemoryItem>();
            add(keyword, keywordWeight, scores, items);
            add(vector, vectorWeight, scores, items);
            double max = (keywordWeight + vectorWeight) / (k + 1.0);
            return ranked(scores, items, max);
        }

        private void add(List<Hit> unsorted, double weight, Map<String, Double> scores, Map<String, MemoryItem> items) {
            var hits = new ArrayList<>(unsorted);
            hits.sort(Comparator.comparingDouble(Hit::score).reversed());
            for (int rank = 0; rank < hits.size(); rank++) {
                MemoryItem item = hits.get(rank).item();
                items.putIfAbsent(item.id(), item);
                scores.merge(item.id(), weight / (k + rank + 1.0), Double::sum);
            }
        }

        @Override
        public String describe() { return "rrf(k=" + k + ", keyword=" + keywordWeight + ", vector=" + vectorWeight + ")"; }
    }

    /** How a list's raw scores are brought to a common scale before weighting. */
    enum Normalization {
        /** Divide by the best score: keeps ratios, 0 stays 0 (BM25's natural floor). */
        MAX,
        /** Map [worst, best] of the list to [0, 1]. */
        MIN_MAX,
        /** Standard score (s - mean) / deviation, squashed to 0..1 by the logistic function. */
        Z_SCORE;

        static Normalization parse(String s) {
            for (Normalization n : values()) {
                if (n.name().equalsIgnoreCase(s) || n.name().replace("_", "").equalsIgnoreCase(s)) return n;
            }
            throw new IllegalArgumentException("unknown normalisation '" + s + "' (max, min_max or z_score)");
        }

        double[] apply(double[] s) {
            if (s.length == 0) return s;
            double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY, sum = 0;
            for (double v : s) { max = Math.max(max, v); min = Math.min(min, v); sum += v; }
            double mean = sum / s.length, var = 0;
            for (double v : s) var += (v - mean) * (v - mean);
            double sd = Math.sqrt(var / s.length);
            double[] out = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                out[i] = switch (this) {
                    case MAX -> max <= 0 ? 0 : s[i] / max;
                    case MIN_MAX -> max - min <= 1e-9 ? 1 : (s[i] - min) / (max - min);
                    case Z_SCORE -> sd <= 1e-9 ? 0.5 : 1 / (1 + Math.exp(-(s[i] - mean) / sd));
                };
            }
            return out;
        }
    }

    /**
     * Weighted score fusion: {@code alpha x norm(bm25) + (1 - alpha) x norm(cosine)} over the candidates of both
     * lists (rag completes each candidate's scores first; one still missing from a list counts as that list's
     * floor: BM25 0, the lowest cosine seen).
     */
    record WeightedScore(double alpha, Normalization keywordNorm, Normalization vectorNorm) implements Fusion {
        public WeightedScore(double alpha) { this(alpha, Normalization.MAX, Normalization.MIN_MAX); }

        @Override
        public List<Hit> fuse(List<Hit> keyword, List<Hit> vector) {
            var items = new LinkedHashMap<String, MemoryItem>();
            for (Hit h : keyword) items.putIfAbsent(h.item().id(), h.item());
            for (Hit h : vector) items.putIfAbsent(h.item().id(), h.item());
            var ids = new ArrayList<>(items.keySet());
            double[] kw = column(ids, keyword, 0);
            double[] vec = column(ids, vector, vector.stream().mapToDouble(Hit::score).min().orElse(0));
            kw = keywordNorm.apply(kw);
            vec = vectorNorm.apply(vec);
            var scores = new LinkedHashMap<String, Double>();
            for (int i = 0; i < ids.size(); i++) scores.put(ids.get(i), alpha * kw[i] + (1 - alpha) * vec[i]);
            return ranked(scores, items, 1);
        }

        private static double[] column(List<String> ids, List<Hit> hits, double missing) {
            var byId = new java.util.HashMap<String, Double>();
            for (Hit h : hits) byId.merge(h.item().id(), h.score(), Math::max);
            double[] out = new double[ids.size()];
            for (int i = 0; i < out.length; i++) out[i] = byId.getOrDefault(ids.get(i), missing);
            return out;
        }

        @Override
        public String describe() {
            return "weighted(alpha=" + alpha + ", keyword=" + keywordNorm.name().toLowerCase() + ", vector="
                    + vectorNorm.name().toLowerCase() + ")";
        }
    }

    private static List<Hit> ranked(Map<String, Double> scores, Map<String, MemoryItem> items, double max) {
        var out = new ArrayList<Hit>(scores.size());
        scores.forEach((id, s) -> out.add(new Hit(items.get(id), Math.min(1, s / max))));
        out.sort(Comparator.comparingDouble(Hit::score).reversed());
        return out;
    }
}
