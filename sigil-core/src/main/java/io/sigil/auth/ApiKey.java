package io.sigil.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A stored API key: its hash (SHA-256, hex) and what it grants, never the key itself. Mirrors the {@code api_keys}
 * table of the deployment guide (7.1) plus {@code revokedAt}.
 *
 * @param rateLimitPerMinute the key's own request budget
 * @param expiresAt          null for a key that does not expire
 * @param revokedAt          null while the key is not revoked
 * @param lastUsedAt         when it last authenticated a request, to about a minute ({@link KeyUsage}); null if never
 */
public record ApiKey(String id, String keyHash, String name, Set<Scope> scopes, int rateLimitPerMinute,
                     Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

    /** A key never used yet. */
    public ApiKey(String id, String keyHash, String name, Set<Scope> scopes, int rateLimitPerMinute,
                  Instant createdAt, Instant expiresAt, Instant revokedAt) {
        this(id, keyHash, name, scopes, rateLimitPerMinute, createdAt, expiresAt, revokedAt, null);
    }

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(name, "name");
        scopes = Set.copyOf(scopes);
        if (rateLimitPerMinute < 1) throw new IllegalArgumentException("rateLimitPerMinute must be at least 1");
        Objects.requireNonNull(createdAt, "createdAt");
        // Microseconds, as PostgreSQL keeps them: a key reads back equal from every store (and backups compare).
        createdAt = micros(createdAt);
        expiresAt = micros(expiresAt);
        revokedAt = micros(revokedAt);
        lastUsedAt = micros(lastUsedAt);
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public ApiKey revokedAt(Instant when) {
        return new ApiKey(id, keyHash, name, scopes, rateLimitPerMinute, createdAt, expiresAt, when, lastUsedAt);
    }

    /** This key last used at {@code when}, or as it is when it was used later already. */
    public ApiKey usedAt(Instant when) {
        if (when == null || (lastUsedAt != null && !when.isAfter(lastUsedAt))) return this;
        return new ApiKey(id, keyHash, name, scopes, rateLimitPerMinute, createdAt, expiresAt, revokedAt, when);
    }
}
