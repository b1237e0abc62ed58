package io.sigil.events;

import io.sigil.errors.StateError;

import java.util.Map;
import java.util.UUID;

/** An event id is already stored somewhere other than where a retried append would put it. */
public class DuplicateEventError extends StateError {
    public DuplicateEventError(UUID eventId, String detail) {
        super("event " + eventId + " was already appended " + detail,
                "a retry must resend exactly the same batch to the same session; new events need new ids",
                Map.of("event_id", eventId.toString()), false, null);
    }
}
