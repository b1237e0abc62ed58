package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.Map;

/** Another process (or another store in this one) already owns the data directory. */
public class EventStoreLockedError extends StateError {
    public EventStoreLockedError(String dataDir, String holder) {
        super("the event store directory " + dataDir + " is in use by another process"
                        + (holder == null || holder.isBlank() ? "" : " (" + holder + ")"),
                "stop that process first, or point SIGIL_STATE_DATA_DIR at another directory; "
                        + "read-only commands (sessions list/show/events, verify, backup) work while it runs",
                holder == null ? Map.of("data_dir", dataDir) : Map.of("data_dir", dataDir, "holder", holder), false, null);
    }
}
