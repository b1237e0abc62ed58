package io.sigil.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.ConfigError;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The trained logistic head of the learned detector, and the record of how it was trained: every training file
 * with its SHA-256, the settings and the threshold. The built-in head is the resource {@value #RESOURCE}, written
 * by {@code sigil guard train}; {@code GuardHeadReproducibilityTest} retrains it from the committed data and
 * requires identical weights. This class is the head's only (de)serializer.
 *
 * @param embeddingModel     the embedder the head was trained on; other embedders give vectors it cannot read
 * @param embeddingDimension length of those vectors
 * @param settings           how it was trained
 * @param sources            what it was trained on
 * @param threshold          the probability at or above which the head calls a text an injection
 * @param ruleThreshold      the rule score at or above which the rules flag a text (a feature, and always flagged)
 * @param bias               the logistic bias
 * @param weights            one per feature, in {@link GuardFeatures#names} order
 */
public record GuardHead(String embeddingModel, int embeddingDimension, TrainingSettings settings,
                        List<Source> sources, double threshold, double ruleThreshold, double bias, double[] weights) {

    public static final String RESOURCE = "/io/sigil/guard/head.json";
    static final int FORMAT = 1;

    /**
     * @param l2                  penalty on squared standardised weights
     * @param folds               cross-validation folds for the out-of-fold scores
     * @param seed                seed of the fold assignment
     * @param maxFalsePositiveRate the most false positives each benign source may have at the threshold
     * @param maxIterations       Newton steps at most
     * @param tolerance           Newton stopping tolerance
     * @param embeddingBits       embedding components rounded to multiples of 2^-bits
     */
    public record TrainingSettings(double l2, int folds, long seed, double maxFalsePositiveRate, int maxIterations,
                                   double tolerance, int embeddingBits) {
        public static final TrainingSettings DEFAULTS =
                new TrainingSettings(30, 5, 23, 0.01, 50, 1e-9, GuardFeatures.EMBEDDING_BITS);
    }

    /** One training file: its path as given to the trainer, its SHA-256 and what it holds. */
    public record Source(String path, String sha256, int injections, int benign) { }

    public GuardHead {
        Objects.requireNonNull(embeddingModel, "embeddingModel");
        sources = List.copyOf(sources);
        weights = weights.clone();
        int expected = GuardFeatures.names(embeddingDimension).size();
        if (weights.length != expected) {
            throw new IllegalArgumentException("a head over " + embeddingDimension + "-dimensional embeddings needs "
                    + expected + " weights, not " + weights.length);
        }
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** The head's probability for one feature vector. */
    public double probability(double[] features) {
        return new LogisticRegression.Model(bias, weights).probability(features);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuardHead h && embeddingModel.equals(h.embeddingModel)
                && embeddingDimension == h.embeddingDimension && settings.equals(h.settings)
                && sources.equals(h.sources) && Double.compare(threshold, h.threshold) == 0
                && Double.compare(ruleThreshold, h.ruleThreshold) == 0 && Double.compare(bias, h.bias) == 0
                && Arrays.equals(weights, h.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(embeddingModel, embeddingDimension, settings, sources, threshold, bias) * 31
                + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "GuardHead[" + embeddingModel + ", threshold=" + threshold + ", " + weights.length + " weights, "
                + sources.size() + " sources]";
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The head that ships with Sigil, over quantized MiniLM: the guard's default. */
    public static GuardHead builtIn() {
        return read(RESOURCE);
    }

    /**
     * The shipped head trained on {@code embeddingModel}'s vectors, if there is one: the default head for its model,
     * and {@value #E5_RESOURCE} for e5-small-v2-q (memory's default model, so that a run with memory on loads one
     * embedding model instead of two; its out-of-fold quality is in docs/security.md).
     */
    public static java.util.Optional<GuardHead> builtInFor(String embeddingModel) {
        if (embeddingModel == null) return java.util.Optional.empty();
        if (embeddingModel.equals(E5_MODEL)) return java.util.Optional.of(read(E5_RESOURCE));
        GuardHead standard = builtIn();
        return standard.embeddingModel().equals(embeddingModel) ? java.util.Optional.of(standard) : java.util.Optional.empty();
    }

    static final String E5_MODEL = "e5-small-v2-q";
    public static final String E5_RESOURCE = "/io/sigil/guard/head-e5-small-v2-q.json";

    private static GuardHead read(String resource) {
        try (InputStream in = GuardHead.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("the built-in guard head " + resource + " is missing");
            return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in guard head " + resource, e);
        }
    }

    /** JSON text; doubles are written in their shortest exact form, so reading gives back the same bits. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("embedding_model", embeddingModel);
        root.put("embedding_dimension", embeddingDimension);
        ObjectNode s = root.putObject("settings");
        s.put("l2", settings.l2());
        s.put("folds", settings.folds());
        s.put("seed", settings.seed());
        s.put("max_false_positive_rate", settings.maxFalsePositiveRate());
        s.put("max_iterations", settings.maxIterations());
        s.put("tolerance", settings.tolerance());
        s.put("embedding_bits", settings.embeddingBits());
        ArrayNode src = root.putArray("sources");
        for (Source source : sources) {
            src.addObject().put("path", source.path()).put("sha256", source.sha256())
                    .put("injections", source.injections()).put("benign", source.benign());
        }
        root.put("threshold", threshold);
        root.put("rule_threshold", ruleThreshold);
        root.put("bias", bias);
        ArrayNode w = root.putArray("weights");
        for (double v : weights) w.add(v);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a head; {@code origin} names the file in errors. */
    public static GuardHead fromJson(String json, String origin) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) throw bad(origin, "not a JSON object");
            if (root.path("format").asInt() != FORMAT) throw bad(origin, "unknown format " + root.path("format"));
            JsonNode s = root.path("settings");
            var settings = new TrainingSettings(s.path("l2").asDouble(), s.path("folds").asInt(), s.path("seed").asLong(),
                    s.path("max_false_positive_rate").asDouble(), s.path("max_iterations").asInt(),
                    s.path("tolerance").asDouble(), s.path("embedding_bits").asInt());
            var sources = new ArrayList<Source>();
            for (JsonNode n : root.path("sources")) {
                sources.add(new Source(n.path("path").asText(), n.path("sha256").asText(), n.path("injections").asInt(),
                        n.path("benign").asInt()));
            }
            JsonNode w = root.path("weights");
            if (!w.isArray()) throw bad(origin, "\"weights\" missing");
            double[] weights = new double[w.size()];
            for (int i = 0; i < weights.length; i++) weights[i] = w.get(i).asDouble();
            return new GuardHead(text(root, "embedding_model", origin), root.path("embedding_dimension").asInt(),
                    settings, sources, root.path("threshold").asDouble(), root.path("rule_threshold").asDouble(),
                    root.path("bias").asDouble(), weights);
        } catch (IOException | IllegalArgumentException e) {
            throw bad(origin, e.getMessage());
        }
    }

    private static String text(JsonNode root, String field, String origin) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) throw bad(origin, "\"" + field + "\" missing");
        return n.asText();
    }

    private static ConfigError bad(String origin, String why) {
        return new ConfigError("Guard head " + origin + " is not usable: " + why,
                "write it with 'sigil guard train', or set guard.detector=rules");
    }
}
