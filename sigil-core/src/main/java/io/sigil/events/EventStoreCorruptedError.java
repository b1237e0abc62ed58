package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.List;
import java.util.Map;

/**
 * The log holds a damaged record that is followed by good ones (or another inconsistency), so it is not a torn
 * tail that can be cut safely. The store refuses to open rather than skip data silently.
 */
public class EventStoreCorruptedError extends StateError {
    private final List<String> findings;

    public EventStoreCorruptedError(String where, List<String> findings) {
        super("the event store at " + where + " is corrupted: " + findings.getFirst()
                        + (findings.size() > 1 ? " (and " + (findings.size() - 1) + " more)" : ""),
                "run 'sigil verify' for all findings and restore the last good backup with 'sigil restore <dir>'",
                Map.of("data_dir", where, "findings", findings.size()), false, null);
        this.findings = List.copyOf(findings);
    }

    public List<String> findings() { return findings; }
}
