package io.sigil.guard;

import io.sigil.errors.ConfigError;
import io.sigil.errors.NotFoundError;
import io.sigil.memory.Embedder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Picks the detector the settings name ({@code guard.detector}, {@code guard.head}). */
public final class InjectionDetectors {
    private static final Logger log = LoggerFactory.getLogger(InjectionDetectors.class);

    public static final String LEARNED = "learned";
    public static final String RULES = "rules";

    private InjectionDetectors() { }

    /**
     * The learned detector when {@code detector} is {@code learned} and an embedder of the head's model is available
     * (the head reads only the vectors it was trained on); the rule detector otherwise, with a warning when learned
     * was asked for.
     *
     * @param detector       {@code learned} or {@code rules}
     * @param headFile       a trained head, or null for the built-in one
     * @param embeddingModel the model {@code embedder} runs (known without loading it), or null when there is none
     * @param embedder       an embedder opened lazily; null when there is none
     */
    public static InjectionDetector choose(String detector, Path headFile, String embeddingModel, Embedder embedder) {
        return choose(detector, headFile, model -> model.equals(embeddingModel) ? embedder : null);
    }

    /**
     * As above, with the embedder asked for by the head's model: {@code embedderFor} returns one (not loaded yet)
     * or null when that model cannot run here.
     */
    public static InjectionDetector choose(String detector, Path headFile, Function<String, Embedder> embedderFor) {
        return choose(detector, () -> headFile == null ? GuardHead.builtIn() : readHead(headFile), embedderFor);
    }

    /** As above, with the head given (read only when the learned detector is chosen). */
    public static InjectionDetector choose(String detector, java.util.function.Supplier<GuardHead> headSource,
                                           Function<String, Embedder> embedderFor) {
        String name = detector == null ? LEARNED : detector.strip().toLowerCase(java.util.Locale.ROOT);
        if (name.equals(RULES)) return new RuleBasedDetector();
        if (!name.equals(LEARNED)) {
            throw new ConfigError("Unknown injection detector '" + detector + "'", "set guard.detector to learned or rules");
        }
        GuardHead head = headSource.get();
        Embedder embedder = embedderFor.apply(head.embeddingModel());
        if (embedder == null) {
            log.warn("guard.detector=learned needs the {} embedder, which cannot run here (no memory module, or not a "
                    + "local model): using the rule detector", head.embeddingModel());
            return new RuleBasedDetector();
        }
        return new LearnedInjectionDetector(head, embedder);
    }

    public static GuardHead readHead(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundError("Guard head not found: " + file,
                    "write one with 'sigil guard train --out FILE', or leave guard.head empty for the built-in head",
                    Map.of("path", file.toString()), false, null);
        }
        try {
            return GuardHead.fromJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new ConfigError("Cannot read the guard head " + file + ": " + e.getMessage(),
                    "check the file is readable, or leave guard.head empty for the built-in head");
        }
    }
}
