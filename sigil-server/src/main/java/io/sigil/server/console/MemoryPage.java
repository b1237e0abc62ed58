package io.sigil.server.console;

import io.sigil.auth.Scope;
import io.sigil.errors.InvalidInputError;
import io.sigil.memory.Category;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryService;
import io.sigil.memory.ScopeAccess;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;

import java.util.List;
import java.util.function.Supplier;

/**
 * Memory per scope: search (the same recall as {@code POST /memory/search}) and browse (categories, then a
 * category's summary and items). The scope passes {@link ScopeAccess} for the caller: one's own {@code user:}
 * scopes and the shared ones; another user's is refused (403). A GET form, so it works without JavaScript.
 */
final class MemoryPage {
    static final int BROWSE_LIMIT = 100;
    static final int MAX_QUERY = 2_000;

    private final Supplier<MemoryService> memory;

    MemoryPage(Supplier<MemoryService> memory) {
        this.memory = memory;
    }

    String render(ConsoleRequest r) {
        r.require(Scope.MEMORY_READ);
        io.sigil.memory.Scope scope = scope(r);
        String query = r.query("q");
        String category = r.query("category");
        if (query != null && query.length() > MAX_QUERY) {
            throw ApiProblem.badRequest("The search text is longer than " + MAX_QUERY + " characters.",
                    List.of(new Problem.InvalidParam("q", "at most " + MAX_QUERY + " characters")));
        }
        MemoryService m = memory.get();
        Html h = new Html().raw("<h1>Memory</h1>");
        h.raw("<form method=\"get\" action=\"/console/memory\" class=\"inline\" role=\"search\">")
                .raw("<label for=\"q\">Search</label><input id=\"q\" name=\"q\" type=\"search\" value=\"").text(query).raw("\">")
                .raw("<label for=\"scope\">Scope</label><input id=\"scope\" name=\"scope\" value=\"").text(scope.key())
                .raw("\" aria-describedby=\"scope-help\">")
                .raw("<button type=\"submit\">Search</button></form>")
                .raw("<p id=\"scope-help\" class=\"help\">Scopes: <code>global</code>, your own <code>user:")
                .text(r.principal().subject()).raw("</code>, <code>agent:NAME</code>, or combined <code>user:")
                .text(r.principal().subject()).raw("+agent:NAME</code>.</p>");
        if (query != null) results(h, m.recall(new RecallQuery(query, scope, category, 10, null)));
        h.raw("<section aria-labelledby=\"browse\"><h2 id=\"browse\">Browse <code>").text(scope.key()).raw("</code></h2>");
        List<Category> categories = m.categories(scope);
        if (categories.isEmpty()) {
            h.raw("<p class=\"empty\">No categories in this scope yet.</p>");
        } else {
            h.raw("<ul class=\"cats\">");
            for (Category c : categories) {
                h.raw("<li>").link("/console/memory?scope=" + Html.query(scope.key()) + "&category=" + Html.query(c.name()),
                        c.name()).text(" (" + c.itemCount() + ")").raw("</li>");
            }
            h.raw("</ul>");
        }
        if (category != null) browse(h, m, scope, category);
        h.raw("</section>");
        return Layout.page(r, "Memory", "memory", h.toString());
    }

    private static void results(Html h, Recall recall) {
        h.raw("<section aria-labelledby=\"results\"><h2 id=\"results\">Results</h2><p>").text(recall.hits().size()
                + " hit(s), answered by " + recall.answeredBy().wireName() + " in " + recall.took().toMillis() + " ms").raw("</p>");
        if (!recall.hits().isEmpty()) {
            h.raw("<ol class=\"hits\">");
            for (Hit hit : recall.hits()) {
                item(h, hit.item(), String.format(java.util.Locale.ROOT, "score %.3f", hit.score()));
            }
            h.raw("</ol>");
        }
        h.raw("</section>");
    }

    private static void browse(Html h, MemoryService m, io.sigil.memory.Scope scope, String category) {
        h.raw("<h3>Category <code>").text(category).raw("</code></h3>");
        m.store().category(scope, category).ifPresent(c -> {
            if (c.content() != null && !c.content().isBlank()) h.raw("<div class=\"msg\">").text(c.content()).raw("</div>");
        });
        List<MemoryItem> items = m.store().items(new SearchFilter(scope, category, null), BROWSE_LIMIT);
        if (items.isEmpty()) {
            h.raw("<p class=\"empty\">No items.</p>");
            return;
        }
        h.raw("<ol class=\"hits\">");
        for (MemoryItem i : items) item(h, i, null);
        h.raw("</ol>");
        if (items.size() == BROWSE_LIMIT) h.raw("<p>Showing the first ").text(BROWSE_LIMIT).raw(" items.</p>");
    }

    private static void item(Html h, MemoryItem i, String score) {
        h.raw("<li><div class=\"msg\">").text(i.content()).raw("</div><p class=\"meta\">")
                .text(i.category() + " - " + i.scope().key() + " - confidence "
                        + String.format(java.util.Locale.ROOT, "%.2f", i.confidence())
                        + (score == null ? "" : " - " + score) + " - " + SessionPages.time(i.createdAt()))
                .raw("</p></li>");
    }

    /** The scope of the form (default: the caller's own), allowed for reading. */
    private static io.sigil.memory.Scope scope(ConsoleRequest r) {
        String text = r.query("scope");
        io.sigil.memory.Scope requested;
        try {
            requested = text == null ? null : io.sigil.memory.Scope.parse(text);
        } catch (InvalidInputError e) {
            throw ApiProblem.badRequest("Invalid scope: " + e.getMessage() + " (" + e.hint() + ").",
                    List.of(new Problem.InvalidParam("scope", e.getMessage())));
        }
        return ScopeAccess.check(r.caller(), requested == null ? ScopeAccess.own(r.caller()) : requested, ScopeAccess.Use.READ);
    }
}
