package io.sigil.events.file;

import java.util.List;

/**
 * What {@code sigil verify} found in an event store. Errors mean data is damaged (exit 1); warnings are safe
 * to ignore (a torn tail is cut on the next open, nothing acknowledged is lost).
 */
public record VerifyReport(String store, String location, long segments, long records, long events, long sessions,
                           List<String> errors, List<String> warnings) {
    public VerifyReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() { return errors.isEmpty(); }
}
