package io.sigil.runtime;

import io.sigil.config.Settings;
import io.sigil.guard.GuardHead;
import io.sigil.guard.InjectionDetector;
import io.sigil.guard.InjectionDetectors;
import io.sigil.memory.CachingEmbedder;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.memory.SharedQueryVectors;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives the injection guard its learned head and the embedder the head was trained on. Without {@code guard.head},
 * when memory is on and runs a model locally for which a head ships (e5-small-v2-q, memory's default), the guard uses
 * that head over memory's own embedder, so a run loads one embedding model, not two (issue 16: start-up); otherwise
 * the default MiniLM head, with memory's embedder when memory runs MiniLM-q locally, else a local embedder of its
 * own, loaded on the guard's first check. Closing it closes only the embedders it opened itself.
 */
public final class GuardWiring implements AutoCloseable {
    private final Settings settings;
    private final CachingEmbedder memoryEmbedder;
    private final Optional<MemoryStoreFactory> module;
    private final Map<String, CachingEmbedder> own = new HashMap<>();

    /**
     * @param memoryEmbedder memory's embedder (from {@link #memoryEmbedder}), shared when its model is the head's
     * @param module         the installed memory module, which runs local models; empty when there is none
     */
    public GuardWiring(Settings settings, CachingEmbedder memoryEmbedder, Optional<MemoryStoreFactory> module) {
        this.settings = settings;
        this.memoryEmbedder = memoryEmbedder;
        this.module = module;
    }

    /** Over the memory module on the classpath, if any. */
    public GuardWiring(Settings settings, CachingEmbedder memoryEmbedder) {
        this(settings, memoryEmbedder, MemoryStoreFactory.find());
    }

    /**
     * The embedder memory's settings name (from the installed memory module), opened on first use and caching
     * recent vectors.
     */
    public static CachingEmbedder memoryEmbedder(Settings settings) {
        return memoryEmbedder(settings, SharedQueryVectors.NONE);
    }

    /** As {@link #memoryEmbedder(Settings)}, also sharing query vectors with the other replicas. */
    public static CachingEmbedder memoryEmbedder(Settings settings, SharedQueryVectors replicas) {
        return new CachingEmbedder(() -> MemoryStoreFactory.installed().embedder(settings.memory(), settings.llm()),
                CachingEmbedder.DEFAULT_CAPACITY, replicas);
    }

    /**
     * The model of the local embedder the settings name, without loading it; null when vectors come from a remote
     * endpoint (whose model may differ from the one the learned head was trained on, even under the same name).
     */
    public static String localEmbeddingModel(Settings.Memory memory) {
        if (memory.embeddingBaseUrl() != null && !memory.embeddingBaseUrl().isBlank()) return null;
        return memory.embeddingModelName();
    }

    /** The detector of {@code guard.detector} (or {@code detector} when not null). */
    public InjectionDetector detector(String detector) {
        String name = detector != null ? detector : settings.security().injectionDetector();
        if (settings.security().injectionHead() == null) return InjectionDetectors.choose(name, this::builtInHead, this::embedderFor);
        return InjectionDetectors.choose(name, settings.security().injectionHead(), this::embedderFor);
    }

    /** The shipped head for memory's local model when memory is on and one ships; the default head otherwise. */
    GuardHead builtInHead() {
        if (!settings.features().memory()) return GuardHead.builtIn();
        return GuardHead.builtInFor(localEmbeddingModel(settings.memory())).orElseGet(GuardHead::builtIn);
    }

    /**
     * A local embedder of {@code model}, not loaded yet; memory's when memory runs that model locally; null when no
     * memory module can run it here.
     */
    synchronized Embedder embedderFor(String model) {
        if (module.isEmpty()) return null;
        if (memoryEmbedder != null && model.equals(localEmbeddingModel(settings.memory()))) return memoryEmbedder;
        if (!module.get().runsLocally(model)) return null;
        Settings.Memory m = settings.memory();
        // Local only: the guard never sends the texts it screens to memory's embedding endpoint.
        var local = m.with(m.dataDir(), model, null);
        return own.computeIfAbsent(model, x -> new CachingEmbedder(
                () -> module.get().embedder(local, settings.llm()), CachingEmbedder.DEFAULT_CAPACITY));
    }

    /** Whether the guard opened an embedder of its own (memory's model differs from the head's). */
    public synchronized boolean ownsEmbedder() { return !own.isEmpty(); }

    @Override
    public synchronized void close() {
        own.values().forEach(CachingEmbedder::close);
        own.clear();
    }
}
