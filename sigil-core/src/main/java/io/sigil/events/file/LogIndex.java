package io.sigil.events.file;

import io.sigil.events.EventType;
import io.sigil.events.StreamInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The in-memory index of a log, rebuilt from the record headers on open: where each global position is stored,
 * each session's positions, and which position holds each event id (for idempotent retries). Not thread-safe;
 * the store guards it with its read-write lock.
 */
final class LogIndex {
    private static final String ENDED = EventType.SESSION_ENDED.wireName();

    /** A session's events by version (index = version - 1). */
    static final class Stream {
        final String sessionId;
        long[] positions = new long[8];
        int count;
        boolean ended;

        Stream(String sessionId) { this.sessionId = sessionId; }

        long position(long version) { return positions[(int) (version - 1)]; }
    }

    /** Location of a position: segment number and offset packed as {@code segment << 40 | offset}; -1 when deleted. */
    private long[] locations = new long[1024];
    private int[] lengths = new int[1024];
    private long lastPosition;
    private final Map<String, Stream> streams = new HashMap<>();
    private final EventIdIndex ids = new EventIdIndex();

    long lastPosition() { return lastPosition; }

    Stream stream(String sessionId) { return streams.get(sessionId); }

    long version(String sessionId) {
        Stream s = streams.get(sessionId);
        return s == null ? 0 : s.count;
    }

    /** The position of an event, or null when its id is not in the log. */
    Long positionOf(UUID eventId) {
        long p = ids.positionOf(eventId);
        return p == 0 ? null : p;
    }

    boolean contains(UUID eventId) { return ids.positionOf(eventId) != 0; }

    /** Packed location of a position, or -1 when its session was deleted. */
    long location(long position) { return locations[(int) (position - 1)]; }

    int length(long position) { return lengths[(int) (position - 1)]; }

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
        Stream s = streams.computeIfAbsent(sessionId, Stream::new);
        if (version != s.count + 1) {
            return "session '" + sessionId + "' version " + version + " follows version " + s.count;
        }
        long earlier = ids.putIfAbsent(eventId, position);
        if (earlier != 0) {
            return "event id " + eventId + " appears twice (positions " + earlier + " and " + position + ")";
        }
        int i = (int) (position - 1);
        if (i == locations.length) {
            locations = Arrays.copyOf(locations, i * 2);
            lengths = Arrays.copyOf(lengths, i * 2);
        }
        locations[i] = pack(segment, offset);
        lengths[i] = length;
        if (s.count == s.positions.length) s.positions = Arrays.copyOf(s.positions, s.count * 2);
        s.positions[s.count++] = position;
        if (ENDED.equals(type)) s.ended = true;
        lastPosition = position;
        return null;
    }

    /** Removes a session (a tombstone record); its positions stay assigned but read as gaps. */
    void delete(String sessionId) {
        Stream s = streams.remove(sessionId);
        if (s == null) return;
        for (int v = 0; v < s.count; v++) {
            long p = s.positions[v];
            locations[(int) (p - 1)] = -1;
            // The id map holds positions; drop only ids that point into this session.
        }
        ids.removeIf(p -> locations[(int) (p - 1)] == -1);
    }

    List<StreamInfo> streams(long upToPosition) {
        var out = new ArrayList<StreamInfo>(streams.size());
        for (Stream s : streams.values()) {
            int count = s.count;
            while (count > 0 && s.positions[count - 1] > upToPosition) count--;
            if (count > 0) out.add(new StreamInfo(s.sessionId, count, s.positions[count - 1], s.ended && count == s.count));
        }
        out.sort((a, b) -> Long.compare(a.lastPosition(), b.lastPosition()));
        return out;
    }

    int streamCount() { return streams.size(); }
}
