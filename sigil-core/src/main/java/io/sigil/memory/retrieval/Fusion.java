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
public sealed interface Fusion permits Fusion.ReciprocalRank, Fusion.WeightedScore, Fusion.AdaptiveWeighted {

    List<Hit> fuse(List<Hit> keyword, List<Hit> vector);

    String describe();

    String FORMS = "rrf[:k[:keyword weight:vector weight]] (e.g. rrf:60), "
            + "weighted[:alpha[:keyword norm:vector norm]] (e.g. weighted:0.7, weighted:0.7:max:min_max; norms max, "
            + "min_max, z_score; alpha is BM25's share), adaptive[:alpha[:gain]] (e.g. adaptive:0.5:0.3), or default";

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
                case "adaptive" -> switch (p.length) {
                    case 1 -> new AdaptiveWeighted(0.5, 0.3);
                    case 2 -> new AdaptiveWeighted(alpha(p[1]), 0.3);
                    case 3 -> new AdaptiveWeighted(alpha(p[1]), gain(p[2]));
                    default -> throw new IllegalArgumentException("adaptive takes alpha, or alpha and gain");
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

    private static double gain(String s) {
        double v = number(s, "gain");
        if (v < 0 || v > 1) throw new IllegalArgumentException("gain must be between 0 and 1, got '" + s + "'");
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
            Candidates c = Candidates.of(keyword, vector);
            return c.combine(alpha, keywordNorm.apply(c.keyword()), vectorNorm.apply(c.vector()));
        }

        @Override
        public String describe() {
            return "weighted(alpha=" + alpha + ", keyword=" + keywordNorm.name().toLowerCase() + ", vector="
                    + vectorNorm.name().toLowerCase() + ")";
        }
    }

    /**
     * Weighted score fusion whose BM25 share is set per query: {@code alpha + gain x (zK - zV) / (zK + zV)},
     * kept within 0.1..0.9, where z is how many standard deviations a list's best candidate stands above the mean
     * of all candidates in that list. The list whose best clearly stands out (a rare name or object matched; a
     * sentence with the same meaning) gets more say; one whose scores are flat (only the speaker's name matched;
     * many turns on the same subject) gets less. Normalisation as the default weighted fusion: BM25 over its best,
     * min-max cosine. Chosen in docs/memory.md because it beats BM25 on every metric where BM25 is the stronger
     * half, where an equal-weight fusion loses MRR to BM25 alone.
     */
    record AdaptiveWeighted(double alpha, double gain) implements Fusion {
        @Override
        public List<Hit> fuse(List<Hit> keyword, List<Hit> vector) {
            Candidates c = Candidates.of(keyword, vector);
            double zKeyword = topZ(c.keyword()), zVector = topZ(c.vector());
            double shift = zKeyword + zVector <= 1e-9 ? 0 : gain * (zKeyword - zVector) / (zKeyword + zVector);
            double a = Math.max(0.1, Math.min(0.9, alpha + shift));
            return c.combine(a, Normalization.MAX.apply(c.keyword()), Normalization.MIN_MAX.apply(c.vector()));
        }

        /** How far the best score stands above the mean, in standard deviations (0 for a flat list). */
        static double topZ(double[] s) {
            if (s.length == 0) return 0;
            double sum = 0, max = Double.NEGATIVE_INFINITY;
            for (double v : s) { sum += v; max = Math.max(max, v); }
            double mean = sum / s.length, var = 0;
            for (double v : s) var += (v - mean) * (v - mean);
            double sd = Math.sqrt(var / s.length);
            return sd <= 1e-9 ? 0 : (max - mean) / sd;
        }

        @Override
        public String describe() { return "adaptive(alpha=" + alpha + ", gain=" + gain + ", keyword=max, vector=min_max)"; }
    }

    /**
     * The union of both lists' candidates with each one's BM25 and cosine (rag completes them; one still missing
     * counts as that list's floor: BM25 0, the lowest cosine seen).
     */
    record Candidates(List<String> ids, Map<String, MemoryItem> items, double[] keyword, double[] vector) {
        static Candidates of(List<Hit> keyword, List<Hit> vector) {
            var items = new LinkedHashMap<String, MemoryItem>();
            for (Hit h : keyword) items.putIfAbsent(h.item().id(), h.item());
            for (Hit h : vector) items.putIfAbsent(h.item().id(), h.item());
            var ids = new ArrayList<>(items.keySet());
            return new Candidates(ids, items, column(ids, keyword, 0),
                    column(ids, vector, vector.stream().mapToDouble(Hit::score).min().orElse(0)));
        }

        private static double[] column(List<String> ids, List<Hit> hits, double missing) {
            var byId = new java.util.HashMap<String, Double>();
            for (Hit h : hits) byId.merge(h.item().id(), h.score(), Math::max);
            double[] out = new double[ids.size()];
            for (int i = 0; i < out.length; i++) out[i] = byId.getOrDefault(ids.get(i), missing);
            return out;
        }

        /** {@code alpha x keyword + (1 - alpha) x vector} over normalised columns, best first. */
        List<Hit> combine(double alpha, double[] kw, double[] vec) {
            var scores = new LinkedHashMap<String, Double>();
            for (int i = 0; i < ids.size(); i++) scores.put(ids.get(i), alpha * kw[i] + (1 - alpha) * vec[i]);
            return ranked(scores, items, 1);
        }
    }

    private static List<Hit> ranked(Map<String, Double> scores, Map<String, MemoryItem> items, double max) {
        var out = new ArrayList<Hit>(scores.size());
        scores.forEach((id, s) -> out.add(new Hit(items.get(id), Math.min(1, s / max))));
        out.sort(Comparator.comparingDouble(Hit::score).reversed());
        return out;
    }
}
