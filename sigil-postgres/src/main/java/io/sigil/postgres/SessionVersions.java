package io.sigil.postgres;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The versions this process last saw its recent sessions at, so that an append with {@code ANY} or {@code EXISTS}
 * can take the one-round-trip path ({@link GuardedGroupWrite}) without reading the session first. Only a guess:
 * another process may have appended meanwhile, which the write's version guard catches. Bounded (least recently
 * used sessions are forgotten); used only by the thread holding the committer's lock.
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
    long get(String sessionId) {
        Long v = versions.get(sessionId);
        return v == null ? -1 : v;
    }

    void put(String sessionId, long version) {
        versions.put(sessionId, version);
    }

    void forget(String sessionId) {
        versions.remove(sessionId);
    }
}
