package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.runtime.StateBackend;

/**
 * The memory store {@code sigil memory ...} works on, the one the server uses: on a database backend
 * ({@code state.backend=postgres}) memory in that database, searched through a local index in
 * {@code <memory.data_dir>/projections} (reused across runs); on files, or when {@code --data-dir} names a
 * directory, the embedded store there. The file backend's event store is never opened (a server may hold it).
 */
final class CliMemory implements AutoCloseable {
    private final MemoryStore store;
    private final StateBackend state;

    private CliMemory(MemoryStore store, StateBackend state) {
        this.store = store;
        this.state = state;
    }

    /** @param localDir whether {@code --data-dir} chose a local store explicitly */
    static CliMemory open(Settings settings, Embedder embedder, boolean localDir) {
        Settings.Memory m = settings.memory();
        if (localDir || "file".equals(settings.state().backend())) {
            return new CliMemory(LuceneMemoryStore.open(m.dataDir(), embedder, m.indexRefreshMs()), null);
        }
        StateBackend state = StateBackend.open(settings);
        try {
            MemoryStore store = state.memory(embedder, dir -> LuceneMemoryStore.open(dir, embedder, m.indexRefreshMs()))
                    .orElseThrow(() -> new ConfigError("state.backend '" + settings.state().backend() + "' holds no memory",
                            "set SIGIL_STATE_BACKEND=postgres or file, or pass --data-dir to use a local memory store"));
            return new CliMemory(store, state);
        } catch (RuntimeException e) {
            state.close();
            throw e;
        }
    }

    MemoryStore store() { return store; }

    /** Where memory lives, for messages: the backend's name or the local directory. */
    String where(Settings settings) {
        return state == null ? settings.memory().dataDir().toString() : settings.state().backend();
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            if (state != null) state.close();
        }
    }
}
