package io.sigil.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.auth.ApiKey;
import io.sigil.auth.Scope;
import io.sigil.errors.InvalidInputError;
import io.sigil.memory.MemoryJson;

import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The portable backup format (version 2), the same whichever backend wrote it: a directory with one JSON-lines
 * file per store and {@code MANIFEST.json}, written last, with each file's size, line count and SHA-256 and each
 * store's counts. Every line is canonical JSON (object keys sorted at every depth, the stores' own field names),
 * and records come in a fixed order, so equal state gives byte-equal files from the file store and from
 * PostgreSQL: a file's SHA-256 is also the checksum of that store's content, which {@code sigil state copy}
 * compares between source and target.
 */
public final class BackupFormat {
    public static final String FORMAT = "sigil-backup";
    public static final int VERSION = 2;
    public static final String MANIFEST = "MANIFEST.json";

    /** The stores of a backup, in the order they are written and restored, each with its file. */
    public enum Part {
        EVENTS("events.jsonl"), API_KEYS("api-keys.jsonl"), AGENTS("agents.jsonl"), CONTRACTS("contracts.jsonl"),
        MEMORY("memory.jsonl"), MEMORY_VECTORS("memory-vectors.jsonl"), PROMPT_VERSIONS("prompt-versions.jsonl");

        private final String file;

        Part(String file) { this.file = file; }

        public String file() { return file; }

        public String key() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** The one serializer of backup lines: canonical (sorted keys), dates as ISO-8601 text. */
    static final ObjectMapper MAPPER = MemoryJson.MAPPER.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.INDENT_OUTPUT);

    private BackupFormat() { }

    /** One canonical JSON line (no newline) of a record, map or JSON tree. */
    static String line(Object value) {
        try {
            Object plain = MAPPER.convertValue(value, Object.class); // trees and records become sortable maps
            return MAPPER.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String line, String where) {
        try {
            return MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidInputError(where + " is not valid JSON: " + e.getOriginalMessage(),
                    "the backup is damaged; use another one");
        }
    }

    /** An API key in the backup's own field names (only the hash of the key, as stored). */
    static Map<String, Object> apiKey(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("key_hash", k.keyHash());
        m.put("name", k.name());
        m.put("scopes", Scope.wireNames(k.scopes()).stream().sorted().toList());
        m.put("rate_limit", k.rateLimitPerMinute());
        m.put("created_at", text(k.createdAt()));
        m.put("expires_at", text(k.expiresAt()));
        m.put("revoked_at", text(k.revokedAt()));
        m.put("last_used_at", text(k.lastUsedAt()));
        return m;
    }

    static ApiKey apiKey(JsonNode n) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        n.path("scopes").forEach(s -> Scope.fromWire(s.asText()).ifPresent(scopes::add));
        return new ApiKey(n.path("id").asText(), n.path("key_hash").asText(), n.path("name").asText(), scopes,
                n.path("rate_limit").asInt(60), instant(n, "created_at"), instant(n, "expires_at"),
                instant(n, "revoked_at"), instant(n, "last_used_at"));
    }

    private static String text(Instant i) { return i == null ? null : i.toString(); }

    private static Instant instant(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : Instant.parse(v.asText());
    }

    /** A memory record as a line: {@code {"kind": ..., "record": ...}} (the form of {@code sigil memory export}). */
    static ObjectNode memoryLine(String kind, Object record) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("kind", kind);
        o.set("record", MAPPER.valueToTree(record));
        return o;
    }

    /**
     * A memory item's stored vector as a line, {@code {"id": ..., "vector": base64 of little-endian float32}}: exact
     * (no decimal rounding), so equal vectors give equal lines and a copy's checksum covers them.
     */
    static String vectorLine(String itemId, float[] vector) {
        var buf = java.nio.ByteBuffer.allocate(vector.length * Float.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", itemId);
        m.put("vector", java.util.Base64.getEncoder().encodeToString(buf.array()));
        return line(m);
    }

    /** The vector of a {@link #vectorLine}; fails on one that is not (a damaged backup). */
    static float[] vector(JsonNode line, String where) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(line.path("vector").asText(""));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputError(where + ": the vector is not base64 (" + e.getMessage() + ")", "the backup is damaged; use another one");
        }
        if (!line.path("id").isTextual() || bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            throw new InvalidInputError(where + ": not a memory vector (an id and whole float32 values are needed)",
                    "the backup is damaged; use another one");
        }
        float[] v = new float[bytes.length / Float.BYTES];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /** The session id of an events line. */
    public static String sessionOf(String eventLine) {
        return parse(eventLine, Part.EVENTS.file()).path("session_id").asText();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hex(MessageDigest d) { return HexFormat.of().formatHex(d.digest()); }
}
