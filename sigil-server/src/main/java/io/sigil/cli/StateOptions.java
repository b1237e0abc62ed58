package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.events.EventStore;
import io.sigil.events.file.FileEventStore;
import io.sigil.postgres.PostgresStateBackend;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How the state commands reach the event store. With the file backend: the settings' data directory
 * (SIGIL_STATE_DATA_DIR), or {@code --data-dir}; reading commands open a read-only snapshot that works beside a
 * running server, changing commands take the directory's lock. With the PostgreSQL backend: the database of
 * DATABASE_URL, shared with running servers (the schema must be migrated: {@code sigil db migrate}).
 */
final class StateOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Event store directory (default: state.data_dir, SIGIL_STATE_DATA_DIR; file backend only).")
    Path dataDir;

    Settings settings(CommandLine.Model.CommandSpec spec) { return SigilCommand.root(spec).settings(); }

    Settings.State state(CommandLine.Model.CommandSpec spec) {
        Settings.State s = settings(spec).state();
        return dataDir == null ? s : new Settings.State(dataDir, s.maxEventsPerSession(), s.backend());
    }

    /** The settings with {@code --data-dir} applied. */
    Settings effective(CommandLine.Model.CommandSpec spec) { return settings(spec).withState(state(spec)); }

    /** The backend the state commands work on: {@code postgres}, or {@code file} (also whenever --data-dir is given). */
    String backend(CommandLine.Model.CommandSpec spec) { return postgres(spec) ? "postgres" : "file"; }

    boolean postgres(CommandLine.Model.CommandSpec spec) {
        return "postgres".equals(settings(spec).state().backend()) && dataDir == null;
    }

    /** The data directory of the file backend; a clear error naming the alternative on PostgreSQL. */
    Path dataDir(CommandLine.Model.CommandSpec spec, String what) {
        if (postgres(spec)) {
            throw new ConfigError(what + " works on the file backend; state.backend is postgres",
                    "for PostgreSQL use pg_dump/pg_restore and point-in-time recovery (docs/operations.md), "
                            + "or pass --data-dir to work on a file store");
        }
        return state(spec).dataDir();
    }

    /** The event store to read or change, with a name for messages; close it after use. */
    Opened open(CommandLine.Model.CommandSpec spec, boolean writes) {
        if (postgres(spec)) {
            PostgresStateBackend pg = PostgresStateBackend.open(settings(spec), false);
            return new Opened(pg.events(), "PostgreSQL " + pg.database().url().jdbcUrl().replaceAll("\\?.*", ""), pg);
        }
        Settings.State s = state(spec);
        FileEventStore store = writes ? FileEventStore.open(s.dataDir(), s.maxEventsPerSession())
                : FileEventStore.openReadOnly(s.dataDir(), s.maxEventsPerSession());
        return new Opened(store, s.dataDir().toString(), store);
    }

    record Opened(EventStore store, String where, AutoCloseable owner) implements AutoCloseable {
        @Override
        public void close() {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
