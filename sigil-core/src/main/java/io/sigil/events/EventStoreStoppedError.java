package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.Map;

/**
 * The store stopped after a write or sync failed. Nothing written since the last successful sync was
 * acknowledged; restarting recovers the log to its last complete batch.
 */
public class EventStoreStoppedError extends StateError {
    public EventStoreStoppedError(String where, Throwable cause) {
        super("the event store at " + where + " has stopped after an I/O failure"
                        + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()),
                "check the disk (space, permissions, health), then restart Sigil: the log recovers to its last complete batch",
                Map.of("data_dir", where), false, cause);
    }
}
