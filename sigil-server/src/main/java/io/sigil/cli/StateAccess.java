package io.sigil.cli;

import io.sigil.Sigil;
import io.sigil.agents.AgentDefinitions;
import io.sigil.backup.MemorySnapshot;
import io.sigil.backup.StateSnapshot;
import io.sigil.backup.StateStores;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.errors.ConfigError;
import io.sigil.errors.StateError;
import io.sigil.events.file.FileEventStore;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.reasoning.StrategyName;
import io.sigil.runtime.StateBackend;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.ServiceLoader;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * One backend's stores opened for {@code sigil backup}, {@code restore} and {@code state copy}: the state backend
 * ({@code file} or {@code postgres}) and, when asked, its memory: the memory module's store on files ({@code lucene});
 * on PostgreSQL the database's memory store to write into, or, for a read-only source, nothing but the embedding
 * model's name: its snapshot reads the memory tables ({@link StateSnapshot#memory}), so a backup or a copy from the
 * database neither builds nor leaves a search index in {@code memory.data_dir}, and loads no embedding model (the
 * stored vectors give their dimension; the model is opened for it only when the database holds none of its vectors).
 */
final class StateAccess implements AutoCloseable {
    final String backend;
    final StateBackend state;
    final AgentDefinitions definitions;
    final ContractLoader loader;
    /** The memory store's embedder (null without a store). */
    private final Embedder embedder;
    /** The memory store (null when memory is left out, or read from the backend's snapshot). */
    final MemoryStore memory;
    /** The model whose vectors the backend's snapshot gives, when memory is read from it instead of a store. */
    private final SnapshotModel snapshotModel;
    /** Why memory is left out, when it is. */
    final String memoryNote;

    /** A model's name, and its dimension (which may load it) for when no stored vector tells. */
    private record SnapshotModel(String name, IntSupplier dimension) { }

    private StateAccess(String backend, StateBackend state, Settings settings, Embedder embedder, MemoryStore memory,
                        SnapshotModel snapshotModel, String memoryNote) {
        this.backend = backend;
        this.state = state;
        this.definitions = new AgentDefinitions(Arrays.stream(StrategyName.values()).map(StrategyName::wireName)
                .collect(Collectors.toSet()));
        this.loader = Sigil.contractLoader(settings);
        this.embedder = embedder;
        this.memory = memory;
        this.snapshotModel = snapshotModel;
        this.memoryNote = memoryNote;
    }

    /**
     * @param readOnly the file event store opened as a read-only snapshot (works beside a running server); a
     *                 database's schema validated, not migrated, and its memory read from its snapshot, no store opened
     * @param withMemory whether to open the memory store; for the file backend only when its directory exists
     *                   (or {@code createMemory})
     */
    static StateAccess open(Settings base, String backend, boolean readOnly, boolean withMemory, boolean createMemory) {
        Settings settings = base.withState(new Settings.State(base.state().dataDir(), base.state().maxEventsPerSession(), backend));
        StateBackend state = switch (backend) {
            case "file" -> readOnly
                    ? new StateBackend.File(settings, FileEventStore.openReadOnly(settings.state().dataDir(),
                            settings.state().maxEventsPerSession()))
                    : StateBackend.open(settings);
            // a source that is only read (backup, the copy's source) is validated, never migrated: a backup taken
            // with a newer Sigil before upgrading must leave the database as the running version expects it
            case "postgres" -> StateBackend.open(settings, !readOnly && settings.services().database().migrateOnStart());
            default -> throw new ConfigError("unknown state backend '" + backend + "'", "use file or postgres");
        };
        Embedder embedder = null;
        MemoryStore memory = null;
        SnapshotModel inSnapshot = null;
        String note = "";
        try {
            if (!withMemory) {
                note = "memory left out (--no-memory)";
            } else {
                // The memory module's store: in memory.data_dir on files; on a database backend the database's
                // memory, searched through a local store of the module (as the server opens it).
                MemoryStoreFactory factory = null;
                for (MemoryStoreFactory f : ServiceLoader.load(MemoryStoreFactory.class, StateAccess.class.getClassLoader())) {
                    if (f.name().equals("lucene")) factory = f;
                }
                if (factory == null) {
                    note = "memory left out: no memory store in this build";
                } else if ("file".equals(backend) && !createMemory && !Files.isDirectory(settings.memory().dataDir())) {
                    note = "memory left out: no memory store at " + settings.memory().dataDir();
                } else {
                    MemoryStoreFactory local = factory;
                    Settings.Memory m = settings.memory();
                    if (readOnly && !"file".equals(backend)) {
                        inSnapshot = new SnapshotModel(m.embeddingModelName(), () -> {
                            try (Embedder e = local.embedder(m, settings.llm())) {
                                return e.dimension();
                            }
                        });
                    } else {
                        embedder = factory.embedder(m, settings.llm());
                        Embedder e = embedder;
                        memory = state.memory(e, dir -> local.open(m.withDataDir(dir), e)).orElseGet(() -> local.open(m, e));
                    }
                }
            }
            return new StateAccess(backend, state, settings, embedder, memory, inSnapshot, note);
        } catch (RuntimeException e) {
            if (embedder != null) embedder.close();
            state.close();
            throw e;
        }
    }

    StateStores stores() { return state.stores(definitions, loader, memory); }

    StateSnapshot snapshot() { return state.snapshot(definitions, loader); }

    /** Whether memory takes part (read from a store or from the backend's snapshot). */
    boolean hasMemory() { return memory != null || snapshotModel != null; }

    /** The memory to export with {@code snapshot} (a snapshot of this access), or null when memory is left out. */
    MemorySnapshot memoryOf(StateSnapshot snapshot) {
        if (memory != null) return MemorySnapshot.of(snapshot, memory);
        if (snapshotModel == null) return null;
        return snapshot.memory(snapshotModel.name(), snapshotModel.dimension()).orElseThrow(() -> new StateError("the " + backend
                + " backend's snapshot holds no memory", "pass --no-memory to leave memory out"));
    }

    @Override
    public void close() {
        try {
            if (memory != null) memory.close();
        } finally {
            try {
                if (embedder != null) embedder.close();
            } finally {
                state.close();
            }
        }
    }
}
