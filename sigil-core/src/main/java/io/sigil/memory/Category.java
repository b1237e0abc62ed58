package io.sigil.memory;

import java.time.Instant;
import java.util.Objects;

/**
 * Memory layer 3: a named group of items with a markdown summary that consolidation keeps up to date.
 * {@code itemCount} is counted by the store when the category is read; {@code lastConsolidated} is null until
 * the first consolidation.
 */
public record Category(String name, String description, String content, long itemCount, Instant lastConsolidated,
                       Scope scope) {
    public Category {
        name = Categories.normalize(name);
        description = description == null ? "" : description;
        content = content == null ? "" : content;
        scope = scope == null ? Scope.GLOBAL : scope;
        Objects.requireNonNull(name, "name");
    }

    public Category withSummary(String summary, Instant consolidatedAt) {
        return new Category(name, description, summary, itemCount, consolidatedAt, scope);
    }

    public Category withItemCount(long count) {
        return new Category(name, description, content, count, lastConsolidated, scope);
    }
}
