package io.sigil.auth;

import java.time.Instant;
import java.util.List;
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
}
