package io.sigil.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where API keys are kept. The embedded adapter is {@link FileApiKeyStore}; a PostgreSQL adapter maps the same
 * operations onto the {@code api_keys} table (lookup by the unique {@code key_hash} index).
 */
public interface ApiKeyStore {

    /** Adds a new key; ids and hashes are unique. */
    void add(ApiKey key);

    /** The key whose SHA-256 hex hash is {@code keyHash}, revoked or expired ones included. */
    Optional<ApiKey> findByHash(String keyHash);

    /** All keys, oldest first. */
    List<ApiKey> list();

    /**
     * Marks the key revoked.
     *
     * @return false when there is no key with that id
     */
    boolean revoke(String id, Instant when);

    /**
     * Records when keys were last used, in one write: each key's {@code lastUsedAt} becomes the given time unless it
     * is later already; unknown ids are skipped. Called by {@link KeyUsage}, which coalesces uses so that this runs
     * about once a minute per key, never once per request.
     */
    void recordUse(Map<String, Instant> lastUsedById);
}
