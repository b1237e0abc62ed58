package io.sigil.runtime;

import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.auth.ApiKeyStore;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.backup.PortSnapshot;
import io.sigil.backup.StateSnapshot;
import io.sigil.backup.StateStores;
import io.sigil.config.Settings;
import io.sigil.memory.MemoryStore;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractStore;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.errors.ConfigError;
import io.sigil.events.EventStore;
import io.sigil.events.file.FileEventStore;
import io.sigil.health.HealthCheck;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Where durable state lives, chosen by {@code state.backend}: {@code file} (the embedded stores in
 * {@code state.data_dir}, one process per directory) or {@code postgres} ({@code services.database_url}, shared by
 * any number of processes). Opens the event store of the backend and gives its API key store and agent registry,
 * with the database's health check and pool. The file backend is built in; other backends are modules that register
 * a {@link Factory} with {@link ServiceLoader} (sigil-postgres registers {@code postgres}), so the core does not
 * depend on them.
 */
public interface StateBackend extends AutoCloseable {

    EventStore events();

    /** API keys (hashes only) on this backend. */
    ApiKeyStore apiKeys();

    /** Agent definitions on this backend, over the bundled examples (and, on PostgreSQL, the agents directory). */
    AgentRegistry agents(AgentDefinitions definitions);

    /** Agents' prompt versions (evolution) on this backend. */
    default io.sigil.evolution.PromptVersionStore promptVersions() {
        throw new ConfigError("this state backend keeps no prompt versions", "use state.backend file or postgres");
    }

    /** Optimisation jobs of the evolution API on this backend (any replica answers for one). */
    default io.sigil.evolution.OptimizationJobStore optimizationJobs() {
        throw new ConfigError("this state backend keeps no optimisation jobs", "use state.backend file or postgres");
    }

    /**
     * Memory on this backend, or empty when memory lives in the memory module's own store in
     * {@code memory.data_dir} (the file backend). {@code openLocal} opens an empty store of the memory module in a
     * given directory: a database backend uses one as this process's search index over the shared memory.
     */
    default Optional<MemoryStore> memory(Embedder embedder, Function<Path, MemoryStore> openLocal) {
        return Optional.empty();
    }

    /** Contracts on this backend (the contracts directory, or a table), over the bundled templates. */
    ContractStore contracts(ContractLoader loader, ContractTemplates templates);

    /** The stores of this backend for a restore or a copy, with {@code memory} (or null to leave memory out). */
    default StateStores stores(AgentDefinitions definitions, ContractLoader loader, MemoryStore memory) {
        return new StateStores(events(), apiKeys(), agents(definitions), contracts(loader, new ContractTemplates(loader)),
                promptVersions(), memory, definitions, loader);
    }

    /** A consistent snapshot of this backend's durable state (memory aside) for a backup or a copy. */
    StateSnapshot snapshot(AgentDefinitions definitions, ContractLoader loader);

    /** Checks that replace {@link io.sigil.health.HealthChecks}' generic ones of the same name. */
    List<HealthCheck> healthChecks();

    /** What {@code /debug/state} shows of the store. */
    Map<String, Object> status();

    @Override
    void close();

    /** A backend other than {@code file}, found by {@link #name()} with {@link ServiceLoader}. */
    interface Factory {
        /** The {@code state.backend} value it serves, e.g. {@code postgres}. */
        String name();

        /** Opens the backend, migrating its schema first when {@code migrate}, else only validating it. */
        StateBackend open(Settings settings, boolean migrate);
    }

    /** Opens the configured backend, migrating a database's schema when {@code database.migrate_on_start} says so. */
    static StateBackend open(Settings settings) {
        return open(settings, settings.services().database().migrateOnStart());
    }

    /**
     * Opens the configured backend; a database's schema is migrated first when {@code migrate}, else only validated
     * (what a command that only reads, such as a backup, wants: it must not change the database it reads).
     */
    static StateBackend open(Settings settings, boolean migrate) {
        String name = settings.state().backend();
        if ("file".equals(name)) {
            return new File(settings, FileEventStore.open(settings.state().dataDir(), settings.state().maxEventsPerSession()));
        }
        for (Factory f : ServiceLoader.load(Factory.class, StateBackend.class.getClassLoader())) {
            if (f.name().equals(name)) return f.open(settings, migrate);
        }
        if ("postgres".equals(name)) {
            throw new ConfigError("state.backend 'postgres' is not available in this build",
                    "add the io.sigil:sigil-postgres module to the classpath, or set SIGIL_STATE_BACKEND=file");
        }
        throw new ConfigError("state.backend '" + name + "' is unknown", "set SIGIL_STATE_BACKEND to file or postgres");
    }

    /** The embedded file store. */
    record File(Settings settings, FileEventStore events) implements StateBackend {
        public ApiKeyStore apiKeys() { return new FileApiKeyStore(settings.state().dataDir()); }

        public AgentRegistry agents(AgentDefinitions definitions) {
            return new FileAgentRegistry(settings.agents().dir(), definitions);
        }

        @Override
        public io.sigil.evolution.PromptVersionStore promptVersions() {
            return new io.sigil.evolution.FilePromptVersionStore(settings.agents().dir());
        }

        @Override
        public io.sigil.evolution.OptimizationJobStore optimizationJobs() {
            return new io.sigil.evolution.FileOptimizationJobStore(settings.state().dataDir());
        }

        public ContractStore contracts(ContractLoader loader, ContractTemplates templates) {
            return new FileContractRegistry(settings.contracts().dir(), loader, templates);
        }

        public StateSnapshot snapshot(AgentDefinitions definitions, ContractLoader loader) {
            return new PortSnapshot(stores(definitions, loader, null), "file:" + settings.state().dataDir().toAbsolutePath().normalize());
        }

        public List<HealthCheck> healthChecks() { return List.of(); }

        public Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", "file");
            m.put("pending_appends", events.pendingAppends());
            m.put("last_position", events.lastPosition());
            return m;
        }

        public void close() { events.close(); }
    }
}
