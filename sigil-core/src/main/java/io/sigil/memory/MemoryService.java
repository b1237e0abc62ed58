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
 * remember single facts, recall, and keep category summaries consolidated.
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

    /**
     * @param consolidationThreshold new items in a category that trigger its consolidation (settings, default 100)
     * @param metrics                the gauge to refresh after writes, or null
     */
    public MemoryService(MemoryStore store, Extractor extractor, Consolidator consolidator, Retriever retriever,
                         EventSink events, int consolidationThreshold, MemoryMetrics metrics) {
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
        store.putResource(resource);
        var extracted = extractor.extract(resource);
        var candidates = new ArrayList<MemoryItem>();
        for (Extracted e : extracted) {
            candidates.add(new MemoryItem(UUID.randomUUID().toString(), resource.id(), e.content(), e.category(),
                    e.confidence(), Map.of("extractor", extractor.name()), resource.scope(), resource.createdAt()));
        }
        return store(resource, candidates);
    }

    /** Stores one fact as said (a feedback resource with one item); near-duplicates merge. */
    public Ingested remember(String content, String category, Scope scope) {
        if (content == null || content.isBlank()) {
            throw new InvalidInputError("Nothing to remember: the text is empty", "say what to remember");
        }
        var resource = new Resource(UUID.randomUUID().toString(), ResourceType.FEEDBACK, content.strip(),
                Map.of("source", "remember"), null, scope, Instant.now());
        store.putResource(resource);
        var item = new MemoryItem(UUID.randomUUID().toString(), resource.id(), content.strip(), category, 1.0,
                Map.of("extractor", "remember"), scope, resource.createdAt());
        return store(resource, List.of(item));
    }

    private Ingested store(Resource resource, List<MemoryItem> candidates) {
        var fresh = new ArrayList<MemoryItem>();
        var seenInBatch = new LinkedHashMap<String, MemoryItem>();
        int merged = 0;
        for (MemoryItem item : candidates) {
            String key = item.category() + "|" + item.content().toLowerCase(Locale.ROOT).replaceAll("\\W+", " ").strip();
            if (seenInBatch.putIfAbsent(key, item) != null) {
                merged++;
                continue;
            }
            Optional<MemoryItem> same = nearDuplicate(item);
            if (same.isPresent()) {
                MemoryItem existing = same.get();
                var meta = new LinkedHashMap<>(existing.metadata());
                meta.merge("mentions", "2", (old, one) -> Integer.toString(Integer.parseInt(old) + 1));
                store.putItems(List.of(existing.withConfidence(Math.max(existing.confidence(), item.confidence()))
                        .withMetadata(meta)));
                merged++;
            } else {
                fresh.add(item);
            }
        }
        store.putItems(fresh);
        if (!fresh.isEmpty() || merged > 0) {
            var byCategory = new LinkedHashMap<String, Integer>();
            fresh.forEach(i -> byCategory.merge(i.category(), 1, Integer::sum));
            events.emit(EventType.MEMORY_EXTRACTED, Map.of("resource_id", resource.id(),
                    "resource_type", resource.type().wireName(), "scope", resource.scope().key(),
                    "items", fresh.size(), "merged", merged, "categories", byCategory,
                    "extractor", resource.metadata().getOrDefault("source", extractor.name())));
        }
        var consolidated = new ArrayList<String>();
        for (String category : fresh.stream().map(MemoryItem::category).distinct().toList()) {
            Category c = store.category(resource.scope(), category).orElseThrow();
            if (pendingSince(c) >= consolidationThreshold) {
                consolidate(resource.scope(), category);
                consolidated.add(category);
            }
        }
        if (metrics != null) metrics.refresh();
        return new Ingested(resource, List.copyOf(fresh), merged, List.copyOf(consolidated));
    }

    private Optional<MemoryItem> nearDuplicate(MemoryItem item) {
        var hits = store.vectorSearch(store.embedder().embed(item.content()),
                new SearchFilter(item.scope(), item.category()), 1);
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
        Category c = category(scope, name);
        long since = c.lastConsolidated() == null ? Long.MIN_VALUE + 1 : c.lastConsolidated().toEpochMilli();
        var fresh = store.items(new SearchFilter(scope, c.name()), Integer.MAX_VALUE).stream()
                .filter(i -> i.createdAt().toEpochMilli() > since).toList().reversed();
        Instant now = Instant.now();
        Instant newest = fresh.stream().map(MemoryItem::createdAt).max(Instant::compareTo).orElse(now);
        Category updated = c.withSummary(consolidator.summarize(c, fresh), newest.isAfter(now) ? newest : now);
        store.putCategory(updated);
        return store.category(scope, c.name()).orElse(updated);
    }

    public MemoryStore store() { return store; }
}
