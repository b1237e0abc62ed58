package io.sigil.memory;

import java.util.Objects;

/** Which items a search may return: one scope, optionally one category. */
public record SearchFilter(Scope scope, String category) {
    public SearchFilter {
        Objects.requireNonNull(scope, "scope");
        category = category == null || category.isBlank() ? null : Categories.normalize(category);
    }

    public static SearchFilter of(Scope scope) { return new SearchFilter(scope, null); }
}
