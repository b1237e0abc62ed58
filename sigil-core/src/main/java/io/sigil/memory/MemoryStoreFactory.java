package io.sigil.memory;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * A memory module's entry point, found with {@link java.util.ServiceLoader}: the embedder and the store the memory
 * settings name. The core holds no index or embedding model; {@code sigil-memory} registers the embedded one
 * (Lucene and a local MiniLM) in {@code META-INF/services/io.sigil.memory.MemoryStoreFactory}.
 */
public interface MemoryStoreFactory {
    /** A short name for logs and status, e.g. {@code lucene}. */
    String name();

    /** The embedder {@code memory} names; the caller closes it after the store. */
    Embedder embedder(Settings.Memory memory, Settings.Llm llm);

    /**
     * Whether {@link #embedder} runs {@code model} in-process (no {@code embedding_base_url}); the injection guard
     * asks before opening one of its own for its head's model.
     */
    default boolean runsLocally(String model) { return false; }

    /** Opens the store under {@code memory.dataDir()} with {@code embedder}; the caller closes it. */
    MemoryStore open(Settings.Memory memory, Embedder embedder);

    /** What an open store holds, for status pages (where it lives, the embedding model, counts by kind). */
    Map<String, Object> status(MemoryStore store);

    /** The first factory on the classpath, if a memory module is installed. */
    static java.util.Optional<MemoryStoreFactory> find() {
        return ServiceLoader.load(MemoryStoreFactory.class, MemoryStoreFactory.class.getClassLoader()).findFirst();
    }

    /** The first factory on the classpath; a clear error when there is none. */
    static MemoryStoreFactory installed() {
        return find()
                .orElseThrow(() -> new ConfigError("No memory store is on the classpath",
                        "Add io.sigil:sigil-memory to the application's dependencies, or turn memory off "
                                + "(SIGIL_USE_MEMORY=false)."));
    }
}
