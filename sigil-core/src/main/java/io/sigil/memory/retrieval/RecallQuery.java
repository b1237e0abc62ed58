package io.sigil.memory.retrieval;

import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;

import java.time.Instant;

/**
 * A search: the text, where to look, how many results ({@code k <= 0} means the configured retrieval_k), and how.
 * {@code asOf} is when the question is asked, against which "last week" or "in May" are resolved (null: now).
 */
public record RecallQuery(String text, Scope scope, String category, int k, RetrievalMode mode, Instant asOf) {
    public RecallQuery {
        scope = scope == null ? Scope.GLOBAL : scope;
        mode = mode == null ? RetrievalMode.HYBRID : mode;
    }

    public RecallQuery(String text, Scope scope, String category, int k, RetrievalMode mode) {
        this(text, scope, category, k, mode, null);
    }

    public static RecallQuery of(String text, Scope scope) { return new RecallQuery(text, scope, null, 0, null); }

    public SearchFilter filter() { return new SearchFilter(scope, category); }
}
