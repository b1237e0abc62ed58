package io.sigil.runtime;

import io.sigil.config.Settings;
import io.sigil.guard.InjectionDetector;
import io.sigil.guard.InjectionDetectors;
import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.MemoryStoreFactory;

/**
 * Wires the injection detector to the embedder memory uses, so that both share one model in memory and one
 * vector per text ({@link CachingEmbedder}).
 */
public final class GuardWiring {
    private GuardWiring() { }

    /**
     * The embedder memory's settings name (from the installed memory module), opened on first use and caching
     * recent vectors.
     */
    public static CachingEmbedder sharedEmbedder(Settings settings) {
        return sharedEmbedder(settings, io.sigil.memory.SharedQueryVectors.NONE);
    }

    /** As {@link #sharedEmbedder(Settings)}, also sharing query vectors with the other replicas. */
    public static CachingEmbedder sharedEmbedder(Settings settings, io.sigil.memory.SharedQueryVectors replicas) {
        return new CachingEmbedder(() -> MemoryStoreFactory.installed().embedder(settings.memory(), settings.llm()),
                CachingEmbedder.DEFAULT_CAPACITY, replicas);
    }

    /**
     * The model of the local embedder the settings name, without loading it; null when vectors come from a remote
     * endpoint (whose model may differ from the one the learned head was trained on, even under the same name).
     */
    public static String localEmbeddingModel(Settings.Memory memory) {
        if (memory.embeddingBaseUrl() != null && !memory.embeddingBaseUrl().isBlank()) return null;
        return memory.embeddingModel() == null ? Settings.Memory.DEFAULTS.embeddingModel() : memory.embeddingModel().strip();
    }

    /** The detector of {@code guard.detector}, over {@code shared}. */
    public static InjectionDetector detector(Settings settings, String detector, CachingEmbedder shared) {
        String model = localEmbeddingModel(settings.memory());
        return InjectionDetectors.choose(detector != null ? detector : settings.security().injectionDetector(),
                settings.security().injectionHead(), model, model == null ? null : shared);
    }
}
