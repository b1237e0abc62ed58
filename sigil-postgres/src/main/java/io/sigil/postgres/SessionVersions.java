package io.sigil.postgres;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this process last saw of its recent sessions (version, ended, whether the row names an agent), so that
 * most appends take the one-round-trip path ({@link GuardedGroupWrite}) without reading the session first. Only a
 * guess about versions: another process may have appended meanwhile, which the unique (session, version) key of
 * the write catches. What it cannot catch, a session deleted (and maybe started again) by someone else, moves the
 * database's deletion {@linkplain #generation() generation}: what was seen under another generation is forgotten,
 * and a write states the generation its guesses belong to. Bounded (least recently used sessions are forgotten);
 * shared by the committer threads.
 */
final class SessionVersions {
    /** The generation before any has been read: no guess is trusted. */
    static final long UNKNOWN_GENERATION = -1;

    /** A session as last seen: its version, whether it has ended, whether its row names an agent. */
    record Seen(long version, boolean ended, boolean agentRecorded) { }

    private final Map<String, Seen> sessions;
    private long generation = UNKNOWN_GENERATION;

    SessionVersions(int capacity) {
        this.sessions = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The deletion generation the remembered sessions belong to. */
    synchronized long generation() {
        return generation;
    }

    /** Records the database's generation, read under the table lock; a different one forgets every session. */
    synchronized void generation(long current) {
        if (current != generation) sessions.clear();
        generation = current;
    }

    /** The session as last seen, or null when unknown. */
    synchronized Seen get(String sessionId) {
        return sessions.get(sessionId);
    }

    /** The sessions of {@code group}'s appends as last seen (null where unknown), in one hold of the lock. */
    synchronized Seen[] get(List<AppendRequest> group) {
        var found = new Seen[group.size()];
        for (int i = 0; i < found.length; i++) found[i] = sessions.get(group.get(i).sessionId());
        return found;
    }

    /**
     * Remembers the sessions of {@code group}'s appends as {@code after} (same order), written under
     * {@code generationOfWrite}, in one hold of the lock; ignored if that generation is no longer current.
     */
    synchronized void put(List<AppendRequest> group, List<Seen> after, long generationOfWrite) {
        if (generationOfWrite != generation) return;
        for (int i = 0; i < after.size(); i++) sessions.put(group.get(i).sessionId(), after.get(i));
    }

    /** Remembers a session as written or read under {@code generationOfWrite}; ignored if that is no longer current. */
    synchronized void put(String sessionId, Seen seen, long generationOfWrite) {
        if (generationOfWrite == generation) sessions.put(sessionId, seen);
    }

    synchronized void forget(String sessionId) {
        sessions.remove(sessionId);
    }
}
