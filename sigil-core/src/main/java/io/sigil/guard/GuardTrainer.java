package io.sigil.guard;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains the learned detector's head, reproducibly: the same files and settings give bit-identical weights.
 *
 * <ol>
 *   <li>Every example of every file, in file order and line order, becomes a feature row ({@link GuardFeatures}).</li>
 *   <li>Rows are dealt into {@code folds} folds by a seeded shuffle; each fold is scored by a model fitted on the
 *       others, so every example gets an out-of-fold score from a model that never saw it.</li>
 *   <li>For each file with benign examples, the lowest threshold that keeps that file's out-of-fold false positives
 *       (the rules' own included) at or below {@code maxFalsePositiveRate}; the head's threshold is the highest of
 *       these, so no benign source is sacrificed for another.</li>
 *   <li>The final head is fitted on every row.</li>
 * </ol>
 */
public final class GuardTrainer {
    private static final int BATCH = 32;

    private final GuardFeatures features;
    private final GuardHead.TrainingSettings settings;

    public GuardTrainer(GuardFeatures features, GuardHead.TrainingSettings settings) {
        this.features = Objects.requireNonNull(features, "features");
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.folds() < 2) throw new IllegalArgumentException("need at least 2 folds: " + settings.folds());
        if (settings.embeddingBits() != GuardFeatures.EMBEDDING_BITS) {
            throw new IllegalArgumentException("this build rounds embeddings to " + GuardFeatures.EMBEDDING_BITS
                    + " bits, not " + settings.embeddingBits());
        }
    }

    /** A training file: {@code name} is how the head records it (a path relative to the project, say). */
    public record Input(String name, Path file) { }

    /** The head, and its out-of-fold quality on each training file (rules alone beside it). */
    public record Result(GuardHead head, List<SourceQuality> quality) { }

    public record SourceQuality(String name, Evaluation learned, Evaluation rules, double sourceThreshold) { }

    private record Example(int source, int line, String text, boolean injection) { }

    public Result train(List<Input> inputs) {
        if (inputs.isEmpty()) throw new InvalidInputError("No training files given", "pass at least one labelled JSON Lines file");
        var examples = new ArrayList<Example>();
        var sources = new ArrayList<GuardHead.Source>();
        for (int s = 0; s < inputs.size(); s++) {
            Input in = inputs.get(s);
            byte[] bytes = read(in.file());
            LabelledSet set = LabelledSet.parse(new String(bytes, StandardCharsets.UTF_8).lines().toList());
            if (!set.problems().isEmpty()) {
                LabelledSet.Problem p = set.problems().getFirst();
                throw new InvalidInputError(in.file() + " line " + p.line() + ": " + p.reason() + " (" + set.problems().size()
                        + " bad lines in all)", "training needs every line usable: fix or remove the bad lines",
                        Map.of("path", in.file().toString()), false, null);
            }
            int injections = 0;
            for (LabelledSet.Example e : set.examples()) {
                examples.add(new Example(s, e.line(), e.text(), e.injection()));
                if (e.injection()) injections++;
            }
            sources.add(new GuardHead.Source(in.name(), sha256(bytes), injections, set.examples().size() - injections));
        }
        boolean[] y = new boolean[examples.size()];
        for (int i = 0; i < y.length; i++) y[i] = examples.get(i).injection();
        if (!contains(y, true) || !contains(y, false)) {
            throw new InvalidInputError("Training needs both injections and benign texts",
                    "add files with label 1 and with label 0", Map.of(), false, null);
        }
        List<GuardFeatures.Row> rows = rows(examples);
        double[][] x = rows.stream().map(GuardFeatures.Row::values).toArray(double[][]::new);
        double ruleThreshold = features.rules().threshold();
        String model = features.embedder().model();
        int dimension = x[0].length - GuardFeatures.names(0).size();

        double[] outOfFold = outOfFold(x, y);
        boolean[] ruleFired = new boolean[y.length];
        for (int i = 0; i < y.length; i++) ruleFired[i] = rows.get(i).rules().score() >= ruleThreshold;

        double[] sourceThresholds = new double[inputs.size()];
        double threshold = Math.ulp(0.0);
        for (int s = 0; s < inputs.size(); s++) {
            sourceThresholds[s] = sourceThreshold(examples, s, outOfFold, ruleFired);
            threshold = Math.max(threshold, sourceThresholds[s]);
        }
        LogisticRegression.Model fitted = regression().fit(x, y);
        var head = new GuardHead(model, dimension, settings, sources, threshold, ruleThreshold, fitted.bias(),
                fitted.weights());

        var quality = new ArrayList<SourceQuality>();
        for (int s = 0; s < inputs.size(); s++) {
            quality.add(new SourceQuality(inputs.get(s).name(), evaluate(examples, s, i -> ruleFired[i] || outOfFold[i] >= head.threshold(), head.threshold()),
                    evaluate(examples, s, i -> ruleFired[i], ruleThreshold), sourceThresholds[s]));
        }
        return new Result(head, quality);
    }

    private LogisticRegression regression() {
        return new LogisticRegression(settings.l2(), settings.maxIterations(), settings.tolerance());
    }

    private List<GuardFeatures.Row> rows(List<Example> examples) {
        var rows = new ArrayList<GuardFeatures.Row>(examples.size());
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<String> texts = examples.subList(from, Math.min(examples.size(), from + BATCH)).stream()
                    .map(Example::text).toList();
            rows.addAll(features.rows(texts));
        }
        return rows;
    }

    /** The head's probability for every row, each from a model fitted without the row's fold. */
    double[] outOfFold(double[][] x, boolean[] y) {
        int[] fold = folds(x.length, settings.folds(), settings.seed());
        double[] scores = new double[x.length];
        for (int f = 0; f < settings.folds(); f++) {
            var trainX = new ArrayList<double[]>();
            var trainY = new ArrayList<Boolean>();
            for (int i = 0; i < x.length; i++) {
                if (fold[i] != f) { trainX.add(x[i]); trainY.add(y[i]); }
            }
            boolean[] ty = new boolean[trainY.size()];
            for (int i = 0; i < ty.length; i++) ty[i] = trainY.get(i);
            LogisticRegression.Model m = regression().fit(trainX.toArray(double[][]::new), ty);
            for (int i = 0; i < x.length; i++) if (fold[i] == f) scores[i] = m.probability(x[i]);
        }
        return scores;
    }

    /** Fold of each row: a Fisher-Yates shuffle driven by SplitMix64 (specified here, so stable across JVMs). */
    static int[] folds(int n, int folds, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        long state = seed;
        for (int i = n - 1; i > 0; i--) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            int j = (int) Math.floorMod(z, (long) (i + 1));
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        int[] fold = new int[n];
        for (int k = 0; k < n; k++) fold[order[k]] = k % folds;
        return fold;
    }

    /**
     * The lowest threshold keeping source {@code s}'s benign false positives within the allowed rate, counting the
     * texts the rules flag anyway; 0 for a source without benign texts.
     */
    private double sourceThreshold(List<Example> examples, int s, double[] scores, boolean[] ruleFired) {
        var open = new ArrayList<Double>();
        int benign = 0;
        int flaggedByRules = 0;
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (e.source() != s || e.injection()) continue;
            benign++;
            if (ruleFired[i]) flaggedByRules++;
            else open.add(scores[i]);
        }
        if (benign == 0) return 0;
        int allowed = Math.max(0, (int) Math.floor(settings.maxFalsePositiveRate() * benign + 1e-9) - flaggedByRules);
        double[] sorted = open.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (allowed >= sorted.length) return Math.ulp(0.0);
        // Strictly above the (allowed+1)-th highest score: that text and every lower one pass.
        return Math.nextUp(sorted[sorted.length - 1 - allowed]);
    }

    private static Evaluation evaluate(List<Example> examples, int s, java.util.function.IntPredicate flagged,
                                       double threshold) {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        var missed = new ArrayList<Integer>();
        var alarms = new ArrayList<Integer>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (e.source() != s) continue;
            boolean f = flagged.test(i);
            if (e.injection() && f) tp++;
            else if (e.injection()) { fn++; missed.add(e.line()); }
            else if (f) { fp++; alarms.add(e.line()); }
            else tn++;
        }
        return new Evaluation(threshold, tp, fp, tn, fn, missed, alarms, List.of());
    }

    private static boolean contains(boolean[] values, boolean wanted) {
        for (boolean v : values) if (v == wanted) return true;
        return false;
    }

    private static byte[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundError("Training file not found: " + file,
                    "pass JSON Lines files with one {\"text\": ..., \"label\": 0|1} object a line",
                    Map.of("path", file.toString()), false, null);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputError("Cannot read " + file + ": " + e.getMessage(), "check the file is readable",
                    Map.of("path", file.toString()), false, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
