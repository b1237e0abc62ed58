package io.sigil.events.file;

import io.sigil.events.AppendResult;
import io.sigil.events.DuplicateEventError;
import io.sigil.events.Event;
import io.sigil.events.EventType;
import io.sigil.events.StreamInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The in-memory index of a log, rebuilt from the record headers on open: where each global position is stored,
 * each session's positions, and which position holds each event id (for idempotent retries). Not thread-safe;
 * the store guards it with its read-write lock.
 */
final class LogIndex {
    private static final String ENDED = EventType.SESSION_ENDED.wireName();

    /** Location of a position: segment number and offset packed as {@code segment << 40 | offset}; -1 when deleted. */
    // Chunked, not doubled: growing never copies millions of entries while appends wait (see Chunked).
    private final Chunked.Longs locations = new Chunked.Longs();
    private final Chunked.Ints lengths = new Chunked.Ints();
    private long lastPosition;
    private final SessionTable sessions = new SessionTable();
    private final EventIdIndex ids = new EventIdIndex();

    long lastPosition() { return lastPosition; }

    /** The session's number for the per-session accessors below, or {@link SessionTable#NONE}. */
    int session(String sessionId) { return sessions.find(sessionId); }

    /** How many events session {@code s} has. */
    int count(int s) { return sessions.count(s); }

    boolean ended(int s) { return sessions.ended(s); }

    /** The global position of a version (1-based) of session {@code s}. */
    long position(int s, long version) { return sessions.position(s, version); }

    /** How many of session {@code s}'s events are at or before {@code position}. */
    int countUpTo(int s, long position) { return sessions.countUpTo(s, position); }

    /** The version of session {@code s} stored at {@code position}, or -1 when that event is not the session's. */
    long versionAt(int s, long position) { return sessions.versionAt(s, position); }

    /** The positions of versions {@code fromIndex + 1 .. toIndex} of session {@code s}. */
    long[] positions(int s, int fromIndex, int toIndex) { return sessions.positions(s, fromIndex, toIndex); }

    /** The position of an event, or null when its id is not in the log (or its session was deleted). */
    Long positionOf(UUID eventId) {
        long p = ids.positionOf(eventId);
        return p == 0 || deleted(p) ? null : p;
    }

    boolean contains(UUID eventId) { return positionOf(eventId) != null; }

    private boolean deleted(long position) { return locations.get(position - 1) == -1; }

    /** Packed location of a position, or -1 when its session was deleted. */
    long location(long position) { return locations.get(position - 1); }

    int length(long position) { return lengths.get(position - 1); }

    static long pack(int segment, long offset) { return ((long) segment << 40) | offset; }

    static int segmentOf(long location) { return (int) (location >>> 40); }

    static long offsetOf(long location) { return location & ((1L << 40) - 1); }

    /**
     * Adds one event record. Returns null, or a finding when the record does not continue the log
     * consistently (a position or version gap, a repeated event id): such a log is corrupted.
     */
    String addEvent(String sessionId, String type, UUID eventId, long position, long version, int segment,
                    long offset, int length) {
        if (position != lastPosition + 1) {
            return "position " + position + " follows position " + lastPosition + " (expected " + (lastPosition + 1) + ")";
        }
        int s = sessions.findOrAdd(sessionId);
        if (version != sessions.count(s) + 1) {
            return "session '" + sessionId + "' version " + version + " follows version " + sessions.count(s);
        }
        long earlier = ids.putIfAbsent(eventId, position, this::deleted);
        if (earlier != 0) {
            return "event id " + eventId + " appears twice (positions " + earlier + " and " + position + ")";
        }
        locations.set(position - 1, pack(segment, offset));
        lengths.set(position - 1, length);
        sessions.add(s, position);
        if (ENDED.equals(type)) sessions.markEnded(s);
        lastPosition = position;
        return null;
    }

    /** Removes a session (a tombstone record); its positions stay assigned but read as gaps. */
    void delete(String sessionId) {
        int s = sessions.find(sessionId);
        if (s == SessionTable.NONE) return;
        sessions.remove(s, p -> locations.set(p - 1, -1));
        // The session's event ids stay in the id index, at positions that now read as deleted (lookups skip them, a
        // new event may reuse one): dropping them would rebuild the whole index, O(every event) per deletion. They
        // are gone from memory once compaction has removed the records and the store is reopened.
    }

    List<StreamInfo> streams(long upToPosition) {
        var out = new ArrayList<StreamInfo>(sessions.size());
        sessions.forEach(s -> {
            int count = sessions.countUpTo(s, upToPosition);
            if (count > 0) {
                out.add(new StreamInfo(sessions.id(s), count, sessions.position(s, count),
                        sessions.ended(s) && count == sessions.count(s)));
            }
        });
        out.sort((a, b) -> Long.compare(a.lastPosition(), b.lastPosition()));
        return out;
    }

    int streamCount() { return sessions.size(); }

    /**
     * The result of an earlier append of exactly these events to this session (an idempotent retry), null when
     * none of them is stored, or a conflict when some are stored elsewhere or only some are stored.
     */
    AppendResult previousAppend(String sessionId, List<Event> events) {
        Long first = positionOf(events.getFirst().eventId());
        if (first == null) {
            for (Event e : events) {
                if (contains(e.eventId())) throw new DuplicateEventError(e.eventId(), elsewhere(positionOf(e.eventId())));
            }
            return null;
        }
        int session = session(sessionId);
        long firstVersion = session == SessionTable.NONE ? -1 : versionAt(session, first);
        if (firstVersion < 0) throw new DuplicateEventError(events.getFirst().eventId(), elsewhere(first));
        for (int i = 0; i < events.size(); i++) {
            long v = firstVersion + i;
            Long p = positionOf(events.get(i).eventId());
            if (p == null || v > count(session) || position(session, v) != p) {
                throw new DuplicateEventError(events.get(i).eventId(),
                        "in session '" + sessionId + "' but not as part of the same batch");
            }
        }
        long lastVersion = firstVersion + events.size() - 1;
        return new AppendResult(sessionId, firstVersion, lastVersion, first, position(session, lastVersion));
    }

    private static String elsewhere(Long position) {
        return "at global position " + position + ", not as the first event of this retried batch";
    }
}
