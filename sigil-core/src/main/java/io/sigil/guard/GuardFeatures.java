package io.sigil.guard;

import io.sigil.memory.Embedder;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The learned detector's inputs for one text: the rule score, whether the rules flagged it, the strongest rule
 * weight of each attack family, and the sentence embedding. The same code builds them for training and for
 * screening, so the two cannot drift apart.
 *
 * <p>Embedding components are rounded to multiples of 2^-{@value #EMBEDDING_BITS} (about 0.00024, far below what
 * the head can use): ONNX Runtime's float results may differ in their last bits between CPUs, and the rounding
 * keeps the training input, and so the trained weights, the same wherever the build runs (except for the rare
 * component that falls on the edge of a rounding step).
 */
public final class GuardFeatures {
    static final int EMBEDDING_BITS = 12;
    private static final double STEP = 1.0 / (1 << EMBEDDING_BITS);
    private static final Signal.Family[] FAMILIES = Signal.Family.values();

    private final RuleBasedDetector rules;
    private final Embedder embedder;

    public GuardFeatures(RuleBasedDetector rules, Embedder embedder) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /** The rules' verdict and the feature vector of one text. */
    public record Row(Detection rules, double[] values) { }

    /** The names of the features, in vector order (the embedding counted as one name per component). */
    public static List<String> names(int embeddingDimension) {
        var names = new ArrayList<String>();
        names.add("rule_score");
        names.add("rule_fired");
        for (Signal.Family f : FAMILIES) names.add("family." + f.name().toLowerCase(java.util.Locale.ROOT));
        for (int i = 0; i < embeddingDimension; i++) names.add("embedding." + i);
        return names;
    }

    public RuleBasedDetector rules() {
        return rules;
    }

    public Embedder embedder() {
        return embedder;
    }

    public Row row(String text) {
        return rows(List.of(text)).getFirst();
    }

    /** Rows for many texts; the embedder gets them as one batch. */
    public List<Row> rows(List<String> texts) {
        List<float[]> vectors = embedder.embed(texts);
        var out = new ArrayList<Row>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            Detection d = rules.detect(texts.get(i));
            out.add(new Row(d, vector(d, rules.threshold(), vectors.get(i))));
        }
        return out;
    }

    static double[] vector(Detection d, double ruleThreshold, float[] embedding) {
        double[] x = new double[2 + FAMILIES.length + embedding.length];
        x[0] = d.score();
        x[1] = d.score() >= ruleThreshold ? 1 : 0;
        for (Signal s : d.signals()) {
            int at = 2 + s.family().ordinal();
            x[at] = Math.max(x[at], s.weight());
        }
        int base = 2 + FAMILIES.length;
        for (int i = 0; i < embedding.length; i++) x[base + i] = Math.rint(embedding[i] / STEP) * STEP;
        return x;
    }
}
