package io.sigil.cli;

import io.sigil.Sigil;
import io.sigil.agents.AgentDefinitions;
import io.sigil.backup.StateSnapshot;
import io.sigil.backup.StateStores;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.errors.ConfigError;
import io.sigil.events.file.FileEventStore;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreFactory;
import io.sigil.reasoning.StrategyName;
import io.sigil.runtime.StateBackend;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * One backend's stores opened for {@code sigil backup}, {@code restore} and {@code state copy}: the state backend
 * ({@code file} or {@code postgres}) and, when asked, the memory store of that backend through the memory port
 * ({@code lucene} for files, the {@code postgres} memory module when it is installed).
 */
final class StateAccess implements AutoCloseable {
    final String backend;
    final StateBackend state;
    final AgentDefinitions definitions;
    final ContractLoader loader;
    private final Embedder embedder;
    final MemoryStore memory;
    /** Why memory is left out, when it is. */
    final String memoryNote;

    private StateAccess(String backend, StateBackend state, Settings settings, Embedder embedder, MemoryStore memory,
                        String memoryNote) {
        this.backend = backend;
        this.state = state;
        this.definitions = new AgentDefinitions(Arrays.stream(StrategyName.values()).map(StrategyName::wireName)
                .collect(Collectors.toSet()));
        this.loader = Sigil.contractLoader(settings);
        this.embedder = embedder;
        this.memory = memory;
        this.memoryNote = memoryNote;
    }

    /**
     * @param readOnly the file event store opened as a read-only snapshot (works beside a running server)
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
            case "postgres" -> StateBackend.open(settings);
            default -> throw new ConfigError("unknown state backend '" + backend + "'", "use file or postgres");
        };
        Embedder embedder = null;
        MemoryStore memory = null;
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
                    embedder = factory.embedder(m, settings.llm());
                    Embedder e = embedder;
                    memory = state.memory(e, dir -> local.open(m.withDataDir(dir), e)).orElseGet(() -> local.open(m, e));
                }
            }
            return new StateAccess(backend, state, settings, embedder, memory, note);
        } catch (RuntimeException e) {
            if (embedder != null) embedder.close();
            state.close();
            throw e;
        }
    }

    StateStores stores() { return state.stores(definitions, loader, memory); }

    StateSnapshot snapshot() { return state.snapshot(definitions, loader); }

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
