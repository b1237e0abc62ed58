package io.sigil.server.memory;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.errors.InvalidInputError;
import io.sigil.memory.Category;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryService;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.ScopeAccess;
import io.sigil.server.http.RequestContext;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Memory over REST: search, store, categories and consolidation. The memory service (its index and embedding
 * model) is opened on the first memory request and then shared with agent runs.
 *
 * <p>Every scope a request names passes {@link ScopeAccess} for the caller: a user works in its own
 * {@code user:<subject>} scopes, reads the shared ones and never another user's (403). Without {@code scope} a
 * request works in the caller's own scope ({@code global} for an administrator).
 */
public final class MemoryEndpoints {
    private static final String TAG = "memory";
    private static final Route.Access READ = Route.Access.scope(Scope.MEMORY_READ);
    private static final Route.Access WRITE = Route.Access.scope(Scope.MEMORY_WRITE);
    static final int MAX_TEXT = 100_000;
    static final int MAX_K = 50;

    private MemoryEndpoints() { }

    public static List<ApiEndpoint> all(Supplier<MemoryService> memory, JsonBodies bodies, int maxPage) {
        return List.of(
                Endpoints.withBody(Route.post("/memory/search", READ, TAG,
                        "Search memory (hybrid keyword + vector by default)"), bodies, SearchBody.class, (ctx, b) ->
                        RecallView.of(memory.get().recall(new RecallQuery(b.query(), scope(ctx, b.scope(), ScopeAccess.Use.READ),
                                b.category(), b.k() == null ? 0 : b.k(), b.mode() == null ? null : RetrievalMode.parse(b.mode()))))),
                Endpoints.withBody(Route.post("/memory", WRITE, TAG, "Remember a fact, or extract facts from a resource"
                        + " (type: conversation, document, config, feedback)"), bodies, StoreBody.class, (ctx, b) -> {
                    ctx.status(201);
                    return StoredView.of(store(memory.get(), b, scope(ctx, b.scope(), ScopeAccess.Use.WRITE)));
                }),
                Endpoints.pagedList(Route.get("/memory/categories", READ, TAG,
                        "Memory categories of a scope (?scope=, default global), paged"), maxPage,
                        ctx -> {
                            io.sigil.memory.Scope scope = queryScope(ctx, ScopeAccess.Use.READ);
                            return memory.get().categories(scope).stream().map(CategoryView::of).toList();
                        }),
                Endpoints.json(Route.get("/memory/categories/{name}", READ, TAG, "One category with its summary (?scope=)"),
                        ctx -> CategoryView.of(memory.get().category(queryScope(ctx, ScopeAccess.Use.READ), ctx.pathParam("name")))),
                Endpoints.withBody(Route.post("/memory/consolidate", WRITE, TAG,
                        "Rewrite a category's summary from its new items now"), bodies, ConsolidateBody.class, (ctx, b) ->
                        CategoryView.of(memory.get().consolidate(scope(ctx, b.scope(), ScopeAccess.Use.WRITE), b.category()))));
    }

    /** A single fact, or a resource whose facts are extracted. */
    private static MemoryService.Ingested store(MemoryService memory, StoreBody b, io.sigil.memory.Scope scope) {
        return b.type() == null
                ? memory.remember(b.content(), b.category() == null ? "general" : b.category(), scope)
                : memory.ingest(new Resource(java.util.UUID.randomUUID().toString(), ResourceType.parse(b.type()),
                        b.content(), Map.of("source", "api"), b.sessionId(), scope, Instant.now()));
    }

    /** A scope in its text form ({@code global}, {@code user:alice}, {@code agent:sales}, {@code user:a+agent:b}). */
    static io.sigil.memory.Scope parseScope(String field, String text) {
        try {
            return io.sigil.memory.Scope.parse(text);
        } catch (InvalidInputError e) {
            throw new FieldError(field, e.getMessage() + " (" + e.hint() + ")");
        }
    }

    static io.sigil.memory.Scope queryScope(Context ctx, ScopeAccess.Use use) {
        String text = ctx.queryParam("scope");
        try {
            parseScope("scope", text);
        } catch (FieldError e) {
            throw ApiProblem.badRequest("Invalid query parameter scope.", List.of(new Problem.InvalidParam("scope", e.getMessage())));
        }
        return scope(ctx, text, use);
    }

    /** The scope a request names (already checked for syntax), allowed for its caller; absent: the caller's own. */
    static io.sigil.memory.Scope scope(Context ctx, String text, ScopeAccess.Use use) {
        io.sigil.sessions.Caller caller = RequestContext.caller(ctx);
        io.sigil.memory.Scope requested = text == null || text.isBlank() ? null : parseScope("scope", text);
        return ScopeAccess.check(caller, requested, use);
    }

    static String text(String field, String value) {
        FieldError.requireText(field, value);
        if (value.length() > MAX_TEXT) throw new FieldError(field, field + " is longer than " + MAX_TEXT + " characters");
        return value;
    }

    public record SearchBody(String query, String scope, String category, Integer k, String mode) {
        public SearchBody {
            text("query", query);
            parseScope("scope", scope);
            if (k != null && (k < 1 || k > MAX_K)) throw new FieldError("k", "k must be from 1 to " + MAX_K);
            if (mode != null) {
                try {
                    RetrievalMode.parse(mode);
                } catch (InvalidInputError e) {
                    throw new FieldError("mode", e.getMessage() + " (" + e.hint() + ")");
                }
            }
        }
    }

    public record ItemView(String id, String content, String category, double confidence, String scope,
                           String sourceResourceId, Map<String, String> metadata, Instant createdAt) {
        static ItemView of(MemoryItem i) {
            return new ItemView(i.id(), i.content(), i.category(), i.confidence(), i.scope().key(),
                    i.sourceResourceId(), i.metadata(), i.createdAt());
        }
    }

    public record HitView(ItemView item, double score) { }

    public record RecallView(List<HitView> hits, String answeredBy, String reason, Double confidence, long tookMs) {
        static RecallView of(Recall r) {
            return new RecallView(r.hits().stream().map((Hit h) -> new HitView(ItemView.of(h.item()), h.score())).toList(),
                    r.answeredBy().wireName(), r.reason(), Double.isNaN(r.confidence()) ? null : r.confidence(),
                    r.took().toMillis());
        }
    }

    /** A fact to remember, or (with {@code type}) a resource to extract facts from. */
    public record StoreBody(String content, String category, String scope, String type, String sessionId) {
        public StoreBody {
            text("content", content);
            parseScope("scope", scope);
            if (type != null) {
                try {
                    ResourceType.parse(type);
                } catch (InvalidInputError e) {
                    throw new FieldError("type", e.getMessage() + " (" + e.hint() + ")");
                }
                if (category != null) throw new FieldError("category", "category applies to a single fact; leave it out when sending a resource type");
            }
        }
    }

    public record StoredView(String resourceId, List<ItemView> added, int merged, List<String> consolidated) {
        static StoredView of(MemoryService.Ingested i) {
            return new StoredView(i.resource().id(), i.added().stream().map(ItemView::of).toList(), i.merged(),
                    i.consolidated());
        }
    }

    public record CategoryView(String name, String description, String content, long itemCount,
                               Instant lastConsolidated, String scope) {
        static CategoryView of(Category c) {
            return new CategoryView(c.name(), c.description(), c.content(), c.itemCount(), c.lastConsolidated(), c.scope().key());
        }
    }

    public record ConsolidateBody(String category, String scope) {
        public ConsolidateBody {
            FieldError.requireText("category", category);
            parseScope("scope", scope);
        }
    }
}
