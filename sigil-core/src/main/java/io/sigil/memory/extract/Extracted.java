package io.sigil.memory.extract;

import java.util.Map;

/**
 * One item an extractor found in a resource, before it is stored; {@code metadata} is added to the item's (e.g. a
 * document chunk's keyword context).
 */
public record Extracted(String content, String category, double confidence, Map<String, String> metadata) {
    public Extracted {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public Extracted(String content, String category, double confidence) {
        this(content, category, confidence, Map.of());
    }
}
