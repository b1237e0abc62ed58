package io.sigil.memory;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * Which items a search may return: one scope, optionally one category, optionally only the given item ids
 * (rag uses that to score candidates one list found and the other missed).
 */
public record SearchFilter(Scope scope, String category, Set<String> ids) {
    public SearchFilter {
        Objects.requireNonNull(scope, "scope");
        category = category == null || category.isBlank() ? null : Categories.normalize(category);
        ids = ids == null ? null : Set.copyOf(ids);
    }

    public SearchFilter(Scope scope, String category) { this(scope, category, null); }

    public static SearchFilter of(Scope scope) { return new SearchFilter(scope, null, null); }

    /** The same filter restricted to these item ids. */
    public SearchFilter onlyIds(Collection<String> only) { return new SearchFilter(scope, category, Set.copyOf(only)); }
}
