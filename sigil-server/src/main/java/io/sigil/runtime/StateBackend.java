package io.sigil.runtime;

import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.agents.FileAgentRegistry;
import io.sigil.auth.ApiKeyStore;
import io.sigil.auth.FileApiKeyStore;
import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.events.EventStore;
import io.sigil.events.file.FileEventStore;
import io.sigil.health.HealthCheck;
import io.sigil.postgres.PostgresAgentRegistry;
import io.sigil.postgres.PostgresApiKeyStore;
import io.sigil.postgres.PostgresDatabase;
import io.sigil.postgres.PostgresEventStore;
import io.sigil.postgres.PostgresHealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where durable state lives, chosen by {@code state.backend}: {@code file} (the embedded stores in
 * {@code state.data_dir}, one process per directory) or {@code postgres} ({@code services.database_url}, shared by
 * any number of processes). Opens the event store of the backend and gives its API key store and agent registry,
 * with the database's health check and pool.
 */
public sealed interface StateBackend extends AutoCloseable {
    Logger log = LoggerFactory.getLogger(StateBackend.class);

    EventStore events();

    /** API keys (hashes only) on this backend. */
    ApiKeyStore apiKeys();

    /** Agent definitions on this backend, over the bundled examples (and, on PostgreSQL, the agents directory). */
    AgentRegistry agents(AgentDefinitions definitions);

    /** Checks that replace {@link io.sigil.health.HealthChecks}' generic ones of the same name. */
    List<HealthCheck> healthChecks();

    /** What {@code /debug/state} shows of the store. */
    Map<String, Object> status();

    @Override
    void close();

    static StateBackend open(Settings settings) {
        return switch (settings.state().backend()) {
            case "file" -> new File(settings, FileEventStore.open(settings.state().dataDir(), settings.state().maxEventsPerSession()));
            case "postgres" -> Postgres.open(settings, settings.services().database().migrateOnStart());
            default -> throw new ConfigError("state.backend '" + settings.state().backend() + "' is unknown",
                    "set SIGIL_STATE_BACKEND to file or postgres");
        };
    }

    /** The embedded file store. */
    record File(Settings settings, FileEventStore events) implements StateBackend {
        public ApiKeyStore apiKeys() { return new FileApiKeyStore(settings.state().dataDir()); }

        public AgentRegistry agents(AgentDefinitions definitions) {
            return new FileAgentRegistry(settings.agents().dir(), definitions);
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

    /** PostgreSQL: the pool, the schema (migrated on start unless told not to) and the event store over them. */
    record Postgres(Settings settings, PostgresDatabase database, PostgresEventStore events, PostgresHealthCheck health)
            implements StateBackend {

        /** Opens the database and its event store, migrating the schema first or only validating it. */
        public static Postgres open(Settings settings, boolean migrate) {
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
                return new Postgres(settings, db, PostgresEventStore.open(db, settings.state().maxEventsPerSession()),
                        new PostgresHealthCheck(db));
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }

        public ApiKeyStore apiKeys() { return new PostgresApiKeyStore(database); }

        public AgentRegistry agents(AgentDefinitions definitions) {
            return new PostgresAgentRegistry(database, definitions, new FileAgentRegistry(settings.agents().dir(), definitions));
        }

        public List<HealthCheck> healthChecks() { return List.of(health); }

        public Map<String, Object> status() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", "postgres");
            m.put("database", database.url().toString());
            m.put("pending_appends", events.pendingAppends());
            m.put("listening", events.listening());
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
}
