package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.errors.ConfigError;
import io.sigil.events.file.FileEventStore;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * How the state commands reach the event store: the settings' data directory (SIGIL_STATE_DATA_DIR), or
 * {@code --data-dir}. Reading commands open a read-only snapshot that works beside a running server;
 * changing commands take the directory's lock.
 */
final class StateOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Event store directory (default: state.data_dir, SIGIL_STATE_DATA_DIR).")
    Path dataDir;

    Settings.State state(CommandLine.Model.CommandSpec spec) {
        Settings.State s = SigilCommand.root(spec).settings().state();
        if (!"file".equalsIgnoreCase(s.backend())) {
            throw new ConfigError("state backend '" + s.backend() + "' is not available in this build",
                    "set SIGIL_STATE_BACKEND=file (the embedded store)");
        }
        return dataDir == null ? s : new Settings.State(dataDir, s.maxEventsPerSession(), s.backend());
    }

    Path dataDir(CommandLine.Model.CommandSpec spec) { return state(spec).dataDir(); }

    FileEventStore openReadOnly(CommandLine.Model.CommandSpec spec) {
        Settings.State s = state(spec);
        return FileEventStore.openReadOnly(s.dataDir(), s.maxEventsPerSession());
    }

    FileEventStore openForWriting(CommandLine.Model.CommandSpec spec) {
        Settings.State s = state(spec);
        return FileEventStore.open(s.dataDir(), s.maxEventsPerSession());
    }
}
