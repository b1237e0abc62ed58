package io.sigil.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * Cache entries every replica sees (plans made on one replica are reused by the others; query vectors; console logins). A cache: a failure or
 * an unreachable backend reads as a miss and a write that did not happen, never as an error. The Redis adapter is
 * in {@code sigil-redis}; without it each process keeps only its own in-process caches ({@link #NONE}).
 */
public interface SharedCache {
    SharedCache NONE = new SharedCache() {
        @Override
        public Optional<String> get(String key) { return Optional.empty(); }

        @Override
        public void put(String key, String value, Duration ttl) { }

        @Override
        public void remove(String key) { }
    };

    Optional<String> get(String key);

    void put(String key, String value, Duration ttl);

    /** Drops an entry now (e.g. a console login that was logged out), for every process. */
    void remove(String key);
}
