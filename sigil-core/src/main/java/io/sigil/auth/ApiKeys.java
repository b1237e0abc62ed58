package io.sigil.auth;

import io.sigil.auth.AuthenticationFailed.Reason;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and checks API keys. A key is {@code sgk_} followed by 32 random bytes in base64url; only its SHA-256 is
 * stored, so a leaked key file does not leak keys. (A fast hash is right here: the keys carry 256 bits of entropy,
 * so there is nothing for a slow password hash to protect against.)
 */
public final class ApiKeys {
    public static final String PREFIX = "sgk_";
    /** Longer presented keys are refused without hashing. */
    static final int MAX_KEY_CHARS = 256;

    /** A newly created key: {@code plaintext} is shown once and then only its hash exists. */
    public record Created(String plaintext, ApiKey key) {
        @Override
        public String toString() { return "Created[key=" + key + "]"; }
    }

    private final ApiKeyStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final KeyUsage usage;

    public ApiKeys(ApiKeyStore store, Clock clock) {
        this(store, clock, null);
    }

    /** @param usage where successful authentications are noted ({@code lastUsedAt}); null to not track use */
    public ApiKeys(ApiKeyStore store, Clock clock, KeyUsage usage) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.usage = usage;
    }

    /** @param expiresAt null for a key that does not expire */
    public Created create(String name, Set<Scope> scopes, int rateLimitPerMinute, Instant expiresAt) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("an API key needs a name");
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) throw new IllegalArgumentException("expiry must be in the future");
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String plaintext = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey(UUID.randomUUID().toString(), hash(plaintext), name.strip(), scopes, rateLimitPerMinute,
                now, expiresAt, null);
        store.add(key);
        return new Created(plaintext, key);
    }

    public Principal authenticate(String presented) throws AuthenticationFailed {
        if (presented == null || presented.isEmpty()) throw new AuthenticationFailed(Reason.MISSING, "no API key");
        if (presented.length() > MAX_KEY_CHARS) throw new AuthenticationFailed(Reason.TOO_LARGE, "API key too long");
        ApiKey key = store.findByHash(hash(presented))
                .orElseThrow(() -> new AuthenticationFailed(Reason.UNKNOWN_KEY, "unknown API key"));
        if (key.revoked()) throw new AuthenticationFailed(Reason.KEY_REVOKED, "API key " + key.id() + " is revoked");
        if (key.expired(clock.instant())) throw new AuthenticationFailed(Reason.KEY_EXPIRED, "API key " + key.id() + " expired");
        if (usage != null) usage.used(key);
        return new Principal(key.name(), key.scopes(), Principal.Method.API_KEY, key.id(),
                OptionalInt.of(key.rateLimitPerMinute()), key.expiresAt());
    }

    public ApiKeyStore store() { return store; }

    /** SHA-256 of the key's UTF-8 bytes, lower-case hex (64 characters, the {@code key_hash} column). */
    public static String hash(String plaintext) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
