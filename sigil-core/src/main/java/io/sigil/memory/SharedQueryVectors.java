package io.sigil.memory;

import io.sigil.cluster.SharedCache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Query vectors shared by every replica (issue 19): a query recalled on one replica is not embedded again on
 * another. Entries live in the {@link SharedCache} (Redis) with a TTL, keyed by model, kind and the SHA-256 of the
 * text (the text itself never reaches Redis); a value is the vector's little-endian float32 bytes in Base64 (2 KB
 * for 384 dimensions). A cache: anything unreadable or unreachable is a miss.
 */
public final class SharedQueryVectors {
    /** Long enough for a conversation's repeated recalls; a stale vector is impossible (the key names the model). */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** No sharing: each process keeps only its own {@link CachingEmbedder} entries. */
    public static final SharedQueryVectors NONE = new SharedQueryVectors(SharedCache.NONE, DEFAULT_TTL);

    /** How the text was embedded: as a query (asymmetric models) or as a plain text (symmetric ones). */
    public enum Kind { QUERY, TEXT }

    private final SharedCache cache;
    private final Duration ttl;

    public SharedQueryVectors(SharedCache cache, Duration ttl) {
        this.cache = Objects.requireNonNull(cache, "cache");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive: " + ttl);
        this.ttl = ttl;
    }

    /** Whether entries go anywhere ({@link #NONE} skips hashing and encoding). */
    public boolean enabled() { return cache != SharedCache.NONE; }

    /** The vector a process embedding {@code text} with {@code model} stored (one model has one dimension). */
    public Optional<float[]> get(String model, Kind kind, String text) {
        if (!enabled()) return Optional.empty();
        return cache.get(key(model, kind, text)).flatMap(SharedQueryVectors::decode);
    }

    public void put(String model, Kind kind, String text, float[] vector) {
        if (enabled()) cache.put(key(model, kind, text), encode(vector), ttl);
    }

    /** The cache key: model, kind and the text's SHA-256. */
    public static String key(String model, Kind kind, String text) {
        return "qv:" + model + ":" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + sha256(text);
    }

    /** Characters of an encoded vector of {@code dimension} floats (Base64 of 4 bytes each). */
    public static int encodedLength(int dimension) { return 4 * ((dimension * Float.BYTES + 2) / 3); }

    static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    static Optional<float[]> decode(String value) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) return Optional.empty();
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return Optional.of(v);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
