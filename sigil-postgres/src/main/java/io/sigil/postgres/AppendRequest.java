package io.sigil.postgres;

import io.sigil.events.Event;
import io.sigil.events.ExpectedVersion;

import java.util.List;

/** An append waiting for its group's commit; {@code payloads} are the events' payloads as JSON. */
record AppendRequest(String sessionId, ExpectedVersion expected, List<Event> events, String[] payloads, boolean admin,
                     PendingAppend done) { }
