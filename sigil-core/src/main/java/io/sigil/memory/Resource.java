package io.sigil.memory;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Memory layer 1: raw material as it arrived (a conversation transcript, a document, a config, feedback).
 * Resources are kept verbatim so that items can always be extracted again and the index rebuilt.
 */
public record Resource(String id, ResourceType type, String content, Map<String, String> metadata,
                       String sessionId, Scope scope, Instant createdAt) {
    public Resource {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        scope = scope == null ? Scope.GLOBAL : scope;
        createdAt = createdAt == null ? Instant.now() : createdAt;
    }

    public static Resource of(ResourceType type, String content, Scope scope) {
        return new Resource(UUID.randomUUID().toString(), type, content, Map.of(), null, scope, Instant.now());
    }
}
