package io.sigil.events;

import io.sigil.errors.InvalidInputError;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One thing that happened in a session (sigil-design.md section 4). The type is kept as its wire name so that
 * events written by a newer Sigil, whose types this version does not know, are stored and passed through
 * unchanged; {@link #knownType()} gives the enum when there is one.
 *
 * <p>Timestamps are UTC with microsecond precision, so an event reads back equal from any store (PostgreSQL
 * {@code timestamptz} keeps microseconds).
 */
public record Event(UUID eventId, String eventType, Instant timestamp, String sessionId, String agentId,
                    String correlationId, Map<String, Object> payload, int schemaVersion) {

    /** The JSON schema version this Sigil writes. */
    public static final int SCHEMA_VERSION = 1;
    public static final int MAX_SESSION_ID_LENGTH = 100;
    public static final int MAX_TYPE_LENGTH = 50;

    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(timestamp, "timestamp");
        checkName("event type", eventType, MAX_TYPE_LENGTH);
        checkSessionId(sessionId);
        if (schemaVersion < 1) throw new InvalidInputError("event schema version must be >= 1, got " + schemaVersion);
        timestamp = timestamp.truncatedTo(ChronoUnit.MICROS);
        payload = Payload.of(payload); // an event's own payload is taken as is, any other map is copied
    }

    /** A new event of a known type, now, with a fresh time-ordered id ({@link Ids#timeOrdered()}). */
    public static Event of(EventType type, String sessionId, Map<String, ?> payload) {
        return of(type.wireName(), sessionId, payload);
    }

    /** A new event of any type (also one this version does not know), now, with a fresh id. */
    public static Event of(String type, String sessionId, Map<String, ?> payload) {
        return new Event(Ids.timeOrdered(), type, Instant.now(), sessionId, null, null, copy(payload), SCHEMA_VERSION);
    }

    /** A new event of a known type, now, with a fresh id, already stamped with its agent and correlation id. */
    public static Event of(EventType type, String sessionId, String agentId, String correlationId,
                           Map<String, ?> payload) {
        return new Event(Ids.timeOrdered(), type.wireName(), Instant.now(), sessionId, agentId, correlationId, copy(payload),
                SCHEMA_VERSION);
    }

    public Event withAgent(String agent) {
        return new Event(eventId, eventType, timestamp, sessionId, agent, correlationId, payload, schemaVersion);
    }

    public Event withCorrelation(String correlation) {
        return new Event(eventId, eventType, timestamp, sessionId, agentId, correlation, payload, schemaVersion);
    }

    public Event withId(UUID id) {
        return new Event(id, eventType, timestamp, sessionId, agentId, correlationId, payload, schemaVersion);
    }

    public Event withTimestamp(Instant at) {
        return new Event(eventId, eventType, at, sessionId, agentId, correlationId, payload, schemaVersion);
    }

    /** The known type, or empty for a type written by a newer Sigil. */
    public Optional<EventType> knownType() { return EventType.fromWireName(eventType); }

    public boolean is(EventType type) { return type.wireName().equals(eventType); }

    /** Validates a session id as every store accepts it: 1 to 100 characters, no control characters. */
    public static String checkSessionId(String sessionId) {
        return checkName("session id", sessionId, MAX_SESSION_ID_LENGTH);
    }

    private static String checkName(String what, String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputError(what + " is empty", "give a non-blank " + what);
        }
        if (value.length() > max) {
            throw new InvalidInputError(what + " '" + value.substring(0, 20) + "...' is " + value.length()
                    + " characters long", "use at most " + max + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidInputError(what + " contains a control character at index " + i,
                        "use printable characters only");
            }
        }
        return value;
    }

    /**
     * What every store checks before an append, the same way: a valid session id, at least one event, every event
     * of that session, no event id twice.
     */
    public static void checkBatch(String sessionId, java.util.List<Event> events) {
        checkSessionId(sessionId);
        if (events == null || events.isEmpty()) {
            throw new InvalidInputError("an append needs at least one event", "pass the events to append");
        }
        var seen = new java.util.HashSet<UUID>();
        for (Event e : events) {
            if (!e.sessionId().equals(sessionId)) {
                throw new InvalidInputError("event " + e.eventId() + " belongs to session '" + e.sessionId()
                        + "', not '" + sessionId + "'", "append each session's events to that session");
            }
            if (!seen.add(e.eventId())) {
                throw new InvalidInputError("event id " + e.eventId() + " appears twice in one append",
                        "give every event its own id");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, ?> payload) {
        return payload == null ? Map.of() : (Map<String, Object>) payload;
    }
}
