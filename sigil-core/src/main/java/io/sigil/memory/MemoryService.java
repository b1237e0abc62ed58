package io.sigil.memory;

import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import io.sigil.memory.extract.Extracted;
import io.sigil.memory.extract.Extractor;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.Retriever;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Memory as the rest of Sigil uses it: ingest resources (extract, merge near-duplicates, store, report),
 * remember single facts, recall, and keep category summaries consolidated. Ingesting and remembering return once
 * the new items are durable and searchable (read your writes); the orchestrator calls them off the request path.
 */
public final class MemoryService {
    /** Cosine at or above which a new item is the same fact as an existing one of its scope and category. */
    public static final double DUPLICATE_COSINE = 0.92;

    private final MemoryStore store;
    private final Extractor extractor;
    private final Consolidator consolidator;
    private final Retriever retriever;
    private final EventSink events;
    private final int consolidationThreshold;
    private final MemoryMetrics metrics;
    private final io.sigil.guard.InjectionGuard guard;
    private final Object writeLock = new Object();

    /**
     * @param consolidationThreshold new items in a category that trigger its consolidation (settings, default 100)
     * @param metrics                the gauge to refresh after writes, or null
     */
    public MemoryService(MemoryStore store, Extractor extractor, Consolidator consolidator, Retriever retriever,
                         EventSink events, int consolidationThreshold, MemoryMetrics metrics) {
        this(store, extractor, consolidator, retriever, events, consolidationThreshold, metrics,
                io.sigil.guard.InjectionGuard.fromSettings("flag"));
    }

    /**
     * @param guard screens every write: stored text is recalled into later runs (other users' too, in shared
     *              scopes), so an injection found in it is refused (mode block), neutralised (sanitize) or stored
     *              with its verdict in the item's metadata (flag)
     */
    public MemoryService(MemoryStore store, Extractor extractor, Consolidator consolidator, Retriever retriever,
                         EventSink events, int consolidationThreshold, MemoryMetrics metrics,
                         io.sigil.guard.InjectionGuard guard) {
        this.guard = java.util.Objects.requireNonNull(guard, "guard");
        this.store = store;
        this.extractor = extractor;
        this.consolidator = consolidator;
        this.retriever = retriever;
        this.events = events == null ? EventSink.NONE : events;
        this.consolidationThreshold = consolidationThreshold;
        this.metrics = metrics;
    }

    /** What one ingestion did. */
    public record Ingested(Resource resource, List<MemoryItem> added, int merged, List<String> consolidated) { }

    public Ingested ingest(Resource resource) {
        if (resource.content().isBlank()) {
            throw new InvalidInputError("Nothing to remember: the " + resource.type().wireName() + " is empty",
                    "pass a file or text with content");
        }
        io.sigil.guard.Verdict whole = guard.enforce(resource.content());
        if (whole.action() == io.sigil.guard.Verdict.Action.SANITIZED) {
            resource = new Resource(resource.id(), resource.type(), whole.text(), resource.metadata(),
                    resource.sessionId(), resource.scope(), resource.createdAt());
        }
        store.putResource(resource);
        var extracted = extractor.extract(resource);
        var candidates = new ArrayList<MemoryItem>();
        for (Extracted e : extracted) {
            io.sigil.guard.Verdict v = guard.check(e.content());
            if (v.action() == io.sigil.guard.Verdict.Action.BLOCKED) continue; // the rest of the resource passed
            candidates.add(new MemoryItem(UUID.randomUUID().toString(), resource.id(), v.text(), e.category(),
                    e.confidence(), screened(withExtractor(e.metadata()), v), resource.scope(),
                    resource.createdAt()));
        }
        return store(resource, candidates);
    }

    private Map<String, String> withExtractor(Map<String, String> extracted) {
        if (extracted.isEmpty()) return Map.of("extractor", extractor.name());
        var m = new LinkedHashMap<>(extracted);
        m.put("extractor", extractor.name());
        return Map.copyOf(m);
    }

    /** The item's metadata with the guard's verdict when it found an injection (flagged or sanitized). */
    private static Map<String, String> screened(Map<String, String> metadata, io.sigil.guard.Verdict v) {
        if (!v.injection()) return metadata;
        var m = new LinkedHashMap<>(metadata);
        m.put("injection_verdict", v.action().name().toLowerCase(Locale.ROOT));
        m.put("injection_score", String.format(Locale.ROOT, "%.2f", v.score()));
        return Map.copyOf(m);
    }

    /** Stores one fact as said (a feedback resource with one item); near-duplicates merge. */
    public Ingested remember(String content, String category, Scope scope) {
        if (content == null || content.isBlank()) {
            throw new InvalidInputError("Nothing to remember: the text is empty", "say what to remember");
        }
        io.sigil.guard.Verdict v = guard.enforce(content.strip()); // mode block: InjectionBlockedError, nothing stored
        var resource = new Resource(UUID.randomUUID().toString(), ResourceType.FEEDBACK, v.text(),
                Map.of("source", "remember"), null, scope, Instant.now());
        store.putResource(resource);
        var item = new MemoryItem(UUID.randomUUID().toString(), resource.id(), v.text(), category, 1.0,
                screened(Map.of("extractor", "remember"), v), scope, resource.createdAt());
        return store(resource, List.of(item));
    }

    /**
     * Merges exact and near-duplicates, stores the rest and returns once they are searchable. Each candidate is
     * embedded once, in one call: the same vectors serve the duplicate check and the index. Consolidation is decided
     * on the counts before this write, which include every earlier write (each ingestion returns flushed).
     */
    private Ingested store(Resource resource, List<MemoryItem> candidates) {
        var unique = new LinkedHashMap<String, MemoryItem>();
        int exactDuplicates = 0;
        for (MemoryItem item : candidates) {
            String key = item.category() + "|" + item.content().toLowerCase(Locale.ROOT).replaceAll("\\W+", " ").strip();
            if (unique.putIfAbsent(key, item) != null) exactDuplicates++;
        }
        var items = List.copyOf(unique.values());
        List<float[]> vectors = items.isEmpty() ? List.of()
                : store.embedder().embed(items.stream().map(MemoryItem::content).toList());
        Written w;
        // Check and write as one step, so that concurrent ingestions of the same fact merge instead of both adding
        // it; the embedding above, the expensive part, runs outside.
        synchronized (writeLock) {
            w = mergeAndWrite(resource.scope(), items, vectors);
        }
        int merged = exactDuplicates + w.merged();
        if (!w.fresh().isEmpty() || merged > 0) {
            var byCategory = new LinkedHashMap<String, Integer>();
            w.fresh().forEach(i -> byCategory.merge(i.category(), 1, Integer::sum));
            events.emit(EventType.MEMORY_EXTRACTED, Map.of("resource_id", resource.id(),
                    "resource_type", resource.type().wireName(), "scope", resource.scope().key(),
                    "items", w.fresh().size(), "merged", merged, "categories", byCategory,
                    "extractor", resource.metadata().getOrDefault("source", extractor.name())));
        }
        for (String category : w.due()) consolidate(resource.scope(), category);
        if (metrics != null) metrics.refresh();
        return new Ingested(resource, w.fresh(), merged, w.due());
    }

    private record Written(List<MemoryItem> fresh, int merged, List<String> due) { }

    private Written mergeAndWrite(Scope scope, List<MemoryItem> items, List<float[]> vectors) {
        var fresh = new ArrayList<MemoryItem>();
        var freshVectors = new ArrayList<float[]>();
        var updated = new LinkedHashMap<String, MemoryItem>();
        int merged = 0;
        for (int i = 0; i < items.size(); i++) {
            MemoryItem item = items.get(i);
            Optional<MemoryItem> same = nearDuplicate(item, vectors.get(i));
            if (same.isPresent()) {
                MemoryItem existing = updated.getOrDefault(same.get().id(), same.get());
                var meta = new LinkedHashMap<>(existing.metadata());
                meta.merge("mentions", "2", (old, one) -> Integer.toString(Integer.parseInt(old) + 1));
                updated.put(existing.id(), existing.withConfidence(Math.max(existing.confidence(), item.confidence()))
                        .withMetadata(meta));
                merged++;
            } else {
                fresh.add(item);
                freshVectors.add(vectors.get(i));
            }
        }
        var due = consolidationDue(scope, fresh);
        store.putItems(fresh, freshVectors);
        // A merged item keeps its text: the store re-indexes it with the vector it already holds.
        store.putItems(List.copyOf(updated.values()));
        store.flush();
        return new Written(List.copyOf(fresh), merged, due);
    }

    /** The categories that reach the consolidation threshold once {@code fresh} is stored. */
    private List<String> consolidationDue(Scope scope, List<MemoryItem> fresh) {
        var due = new ArrayList<String>();
        var perCategory = new LinkedHashMap<String, Long>();
        fresh.forEach(i -> perCategory.merge(i.category(), 1L, Long::sum));
        perCategory.forEach((category, added) -> {
            long before = store.category(scope, category).map(this::pendingSince).orElse(0L);
            if (before + added >= consolidationThreshold) due.add(category);
        });
        return List.copyOf(due);
    }

    private Optional<MemoryItem> nearDuplicate(MemoryItem item, float[] vector) {
        var hits = store.vectorSearch(vector, new SearchFilter(item.scope(), item.category()), 1);
        return hits.isEmpty() || hits.getFirst().score() < DUPLICATE_COSINE ? Optional.empty()
                : Optional.of(hits.getFirst().item());
    }

    private long pendingSince(Category c) {
        long since = c.lastConsolidated() == null ? Long.MIN_VALUE + 1 : c.lastConsolidated().toEpochMilli();
        return store.countItems(new SearchFilter(c.scope(), c.name()), since);
    }

    public Recall recall(RecallQuery query) { return retriever.recall(query); }

    public List<Category> categories(Scope scope) { return store.categories(scope); }

    public Category category(Scope scope, String name) {
        return store.category(scope, name).orElseThrow(() -> new NotFoundError(
                "No memory category '" + Categories.normalize(name) + "' in scope " + scope,
                "list the categories with `sigil memory categories --scope " + scope + "`"));
    }

    /** Rewrites a category's summary from the items added since its last consolidation. */
    public Category consolidate(Scope scope, String name) {
        store.flush(); // every item written so far belongs in the summary
        Category c = category(scope, name);
        long since = c.lastConsolidated() == null ? Long.MIN_VALUE + 1 : c.lastConsolidated().toEpochMilli();
        var fresh = store.items(new SearchFilter(scope, c.name()), Integer.MAX_VALUE).stream()
                .filter(i -> i.createdAt().toEpochMilli() > since).toList().reversed();
        Instant now = Instant.now();
        Instant newest = fresh.stream().map(MemoryItem::createdAt).max(Instant::compareTo).orElse(now);
        Category updated = c.withSummary(consolidator.summarize(c, fresh), newest.isAfter(now) ? newest : now);
        store.putCategory(updated);
        store.flush();
        return store.category(scope, c.name()).orElse(updated);
    }

    public MemoryStore store() { return store; }
}
