package io.sigil.cli;

import io.sigil.errors.InvalidInputError;
import io.sigil.guard.GuardFeatures;
import io.sigil.guard.GuardHead;
import io.sigil.guard.GuardTrainer;
import io.sigil.guard.RuleBasedDetector;
import io.sigil.memory.Embedder;
import io.sigil.memory.embed.OnnxEmbedder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sigil guard train}: fits the learned detector's head on labelled files, deterministically, and reports
 * its out-of-fold quality per file. Run from the project root without {@code --data}, it retrains the built-in
 * head from the committed data.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train the learned injection detector's head on labelled JSON Lines files",
                "({\"text\": ..., \"label\": 0|1} a line) and print its out-of-fold quality per file."})
final class GuardTrainCommand implements Callable<Integer> {

    /** The data of the built-in head, relative to the project root. */
    static final List<String> PROJECT_DATA = List.of(
            "sigil-core/src/test/resources/guard/deepset-train.jsonl",
            "sigil-core/src/test/resources/guard/benign-own.jsonl",
            "sigil-core/src/test/resources/guard/benign-trigger-words.jsonl",
            "sigil-core/src/test/resources/guard/attacks-own.jsonl");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "FILE",
            description = "A labelled .jsonl file (repeatable). Default: the project's training files.")
    List<Path> data;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the head (JSON). Default: print the report only.")
    Path out;

    @Option(names = "--l2", description = "L2 penalty on standardised weights (default ${DEFAULT-VALUE}).")
    double l2 = GuardHead.TrainingSettings.DEFAULTS.l2();

    @Option(names = "--folds", description = "Cross-validation folds (default ${DEFAULT-VALUE}).")
    int folds = GuardHead.TrainingSettings.DEFAULTS.folds();

    @Option(names = "--seed", description = "Seed of the fold assignment (default ${DEFAULT-VALUE}).")
    long seed = GuardHead.TrainingSettings.DEFAULTS.seed();

    @Option(names = "--embedding-model", paramLabel = "MODEL",
            description = "Local model whose vectors the head reads (default: the built-in head's, ${DEFAULT-VALUE}; "
                    + "independent of memory.embedding_model: the guard loads its head's model itself).")
    String embeddingModel = GuardHead.builtIn().embeddingModel();

    @Option(names = "--max-fp-rate", paramLabel = "RATE",
            description = "Most false positives allowed on each benign source (default ${DEFAULT-VALUE}).")
    double maxFpRate = GuardHead.TrainingSettings.DEFAULTS.maxFalsePositiveRate();

    @Override
    public Integer call() {
        if (!(l2 > 0)) throw new InvalidInputError("--l2 must be positive: " + l2, "try --l2 30");
        if (folds < 2 || folds > 20) throw new InvalidInputError("--folds must be 2 to 20: " + folds, "try --folds 5");
        if (!(maxFpRate >= 0 && maxFpRate < 1)) {
            throw new InvalidInputError("--max-fp-rate must be in [0, 1): " + maxFpRate, "try --max-fp-rate 0.01");
        }
        List<GuardTrainer.Input> inputs = (data == null || data.isEmpty()
                ? PROJECT_DATA.stream().map(Path::of).toList() : data).stream()
                .map(p -> new GuardTrainer.Input(p.toString().replace('\\', '/'), p)).toList();
        if (data == null || data.isEmpty()) {
            for (GuardTrainer.Input in : inputs) {
                if (!Files.isRegularFile(in.file())) {
                    throw new InvalidInputError("Training file " + in.file() + " not found",
                            "run 'sigil guard train' from the project root, or pass your own files with --data");
                }
            }
        }
        var settings = new GuardHead.TrainingSettings(l2, folds, seed, maxFpRate,
                GuardHead.TrainingSettings.DEFAULTS.maxIterations(), GuardHead.TrainingSettings.DEFAULTS.tolerance(),
                GuardHead.TrainingSettings.DEFAULTS.embeddingBits());
        PrintWriter w = spec.commandLine().getOut();
        if (!OnnxEmbedder.supports(embeddingModel)) {
            throw new InvalidInputError("--embedding-model '" + embeddingModel + "' is not a local model",
                    "use one of " + String.join(", ", OnnxEmbedder.NAMES));
        }
        try (Embedder embedder = OnnxEmbedder.of(embeddingModel)) {
            GuardTrainer.Result r = new GuardTrainer(new GuardFeatures(new RuleBasedDetector(), embedder), settings)
                    .train(inputs);
            print(w, r);
            if (out != null) {
                Files.writeString(out, r.head().toJson(), StandardCharsets.UTF_8);
                w.println("head written to " + out + " (use it with guard.head=" + out + ")");
            }
        } catch (IOException e) {
            throw new InvalidInputError("Cannot write " + out + ": " + e.getMessage(), "check the directory exists and is writable");
        }
        w.flush();
        return ExitCodes.OK;
    }

    static void print(PrintWriter w, GuardTrainer.Result r) {
        GuardHead h = r.head();
        w.printf(Locale.ROOT, "embedder %s, %d features, l2 %s, %d folds, seed %d%n", h.embeddingModel(),
                h.weights().length, h.settings().l2(), h.settings().folds(), h.settings().seed());
        w.printf(Locale.ROOT, "threshold %.6f (highest of the per-source thresholds keeping benign FP <= %.1f %%)%n",
                h.threshold(), 100 * h.settings().maxFalsePositiveRate());
        w.println("out-of-fold quality per source (learned | rules alone), counts with 95% intervals:");
        for (GuardTrainer.SourceQuality q : r.quality()) {
            w.println("  " + q.name() + String.format(Locale.ROOT, " (source threshold %.6f)", q.sourceThreshold()));
            line(w, "recall", q.learned().recallInterval().describe(), q.rules().recallInterval().describe(),
                    q.learned().positives());
            line(w, "FP", q.learned().falsePositiveInterval().describe(), q.rules().falsePositiveInterval().describe(),
                    q.learned().negatives());
        }
    }

    private static void line(PrintWriter w, String what, String learned, String rules, int n) {
        if (n > 0) w.printf(Locale.ROOT, "    %-6s %-32s | %s%n", what, learned, rules);
    }
}
