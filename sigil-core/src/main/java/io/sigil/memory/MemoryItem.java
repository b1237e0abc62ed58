package io.sigil.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Memory layer 2: one fact, preference or piece of knowledge, in a category, with how sure the extractor was.
 * Its embedding is computed and kept by the store (it depends on the store's embedding model).
 */
public record MemoryItem(String id, String sourceResourceId, String content, String category, double confidence,
                         Map<String, String> metadata, Scope scope, Instant createdAt) {
    public MemoryItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(content, "content");
        category = Categories.normalize(category);
        if (Double.isNaN(confidence) || confidence < 0 || confidence > 1) {
            throw new IllegalArgumentException("confidence must be within 0..1, got " + confidence);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        scope = scope == null ? Scope.GLOBAL : scope;
        createdAt = createdAt == null ? Instant.now() : createdAt;
    }

    public static MemoryItem of(String content, String category, double confidence, Scope scope, String sourceId) {
        return new MemoryItem(UUID.randomUUID().toString(), sourceId, content, category, confidence, Map.of(), scope,
                Instant.now());
    }

    public MemoryItem withConfidence(double value) {
        return new MemoryItem(id, sourceResourceId, content, category, value, metadata, scope, createdAt);
    }

    public MemoryItem withMetadata(Map<String, String> value) {
        return new MemoryItem(id, sourceResourceId, content, category, confidence, value, scope, createdAt);
    }
}
