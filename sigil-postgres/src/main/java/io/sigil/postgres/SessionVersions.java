package io.sigil.postgres;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versions this process last saw its recent sessions at, so that an append with {@code ANY} or {@code EXISTS}
 * can take the one-round-trip path ({@link GuardedGroupWrite}) without reading the session first. Only a guess:
 * another process may have appended meanwhile, which the write's version guard catches. Bounded (least recently
 * used sessions are forgotten); shared by the committer threads (two groups may be in flight: a guess made before
 * the other group's commit is caught by the guard like any other).
 */
final class SessionVersions {
    private final Map<String, Long> versions;

    SessionVersions(int capacity) {
        this.versions = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The version last seen, or -1 when unknown. */
    synchronized long get(String sessionId) {
        Long v = versions.get(sessionId);
        return v == null ? -1 : v;
    }

    synchronized void put(String sessionId, long version) {
        versions.put(sessionId, version);
    }

    synchronized void forget(String sessionId) {
        versions.remove(sessionId);
    }
}
