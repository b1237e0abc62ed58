package io.sigil.postgres;

import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.auth.ApiKeyStore;
import io.sigil.backup.StateSnapshot;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractStore;
import io.sigil.contracts.ContractTemplates;
import io.sigil.errors.ConfigError;
import io.sigil.health.HealthCheck;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.runtime.StateBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The {@code postgres} state backend: the pool, the schema (migrated on start unless told not to), the event store
 * over them and, once opened, memory ({@link PostgresMemoryStore}).
 */
public record PostgresStateBackend(Settings settings, PostgresDatabase database, PostgresEventStore events, PostgresHealthCheck health,
                                   AtomicReference<PostgresMemoryStore> memory)
        implements StateBackend {
    private static final Logger log = LoggerFactory.getLogger(PostgresStateBackend.class);

    /** Registered with ServiceLoader for {@code state.backend=postgres}. */
    public static final class Factory implements StateBackend.Factory {
        public String name() { return "postgres"; }

        public StateBackend open(Settings settings, boolean migrate) { return PostgresStateBackend.open(settings, migrate); }
    }

    /** Opens the database and its event store, migrating the schema first or only validating it. */
    public static PostgresStateBackend open(Settings settings, boolean migrate) {
        PostgresDatabase db = PostgresDatabase.fromSettings(settings);
        try {
            if (migrate) {
                var r = db.migrate();
                if (r.migrationsExecuted > 0) {
                    log.info("PostgreSQL schema migrated to version {} ({} migrations)", r.targetSchemaVersion, r.migrationsExecuted);
                }
            } else {
                var v = db.validate();
                if (!v.validationSuccessful) {
                    throw new ConfigError("the PostgreSQL schema does not match this build: " + v.getAllErrorMessages(),
                            "run 'sigil db migrate' (or set database.migrate_on_start=true)");
                }
            }
            return new PostgresStateBackend(settings, db, PostgresEventStore.open(db, settings.state().maxEventsPerSession()),
                    new PostgresHealthCheck(db), new AtomicReference<>());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public ApiKeyStore apiKeys() { return new PostgresApiKeyStore(database); }

    public AgentRegistry agents(AgentDefinitions definitions) {
        return new PostgresAgentRegistry(database, definitions, new FileAgentRegistry(settings.agents().dir(), definitions));
    }

    @Override
    public io.sigil.evolution.PromptVersionStore promptVersions() { return new PostgresPromptVersionStore(database); }

    @Override
    public io.sigil.evolution.OptimizationJobStore optimizationJobs() { return new PostgresOptimizationJobStore(database); }

    /**
     * Memory in this database, searched through a local store opened by {@code openLocal} in a directory of this
     * process's own under {@code <memory.data_dir>/projections}, kept for the next start (it is reused when it
     * belongs to this database and model, see {@link LocalIndexDirectory}).
     */
    @Override
    public Optional<MemoryStore> memory(Embedder embedder, Function<Path, MemoryStore> openLocal) {
        PostgresMemoryStore store = PostgresMemoryStore.open(database, embedder,
                settings.memory().dataDir().resolve("projections"), openLocal);
        memory.set(store);
        return Optional.of(store);
    }

    public ContractStore contracts(ContractLoader loader, ContractTemplates templates) {
        return new PostgresContractStore(database, loader, templates);
    }

    /** One REPEATABLE READ transaction over events, keys, agents and contracts ({@link PostgresSnapshot}). */
    public StateSnapshot snapshot(AgentDefinitions definitions, ContractLoader loader) {
        return new PostgresSnapshot(database, definitions, loader);
    }

    public List<HealthCheck> healthChecks() { return List.of(health); }

    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", "postgres");
        m.put("database", database.url().toString());
        m.put("pending_appends", events.pendingAppends());
        m.put("listening", events.listening());
        PostgresMemoryStore mem = memory.get();
        if (mem != null) m.put("memory", mem.status());
        var pool = database.poolStats();
        m.put("pool", Map.of("active", pool.active(), "idle", pool.idle(), "total", pool.total(),
                "waiting", pool.waiting(), "maximum", pool.maximum()));
        return m;
    }

    public void close() {
        events.close();
        database.close();
    }
}
