package io.sigil.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * Where the three memory layers live. The embedded default is {@code LuceneMemoryStore} (sigil-memory);
 * a shared PostgreSQL store implements the same port and passes the same conformance suite
 * ({@code MemoryStoreConformance} in sigil-memory's test-jar).
 *
 * <p>A store embeds items itself with the {@link Embedder} it was built with, so vectors always match the model
 * it recorded (or takes vectors that model computed, {@link #putItems(List, List)}).
 *
 * <p>Guarantees, which the conformance suite tests:
 * <ul>
 *   <li><b>Durable on return</b>: once a write returns, it survives a crash or a restart, flushed or not.</li>
 *   <li><b>Visible after flush</b>: searches and reads may see a write only after a short delay (the embedded store
 *       indexes in the background, {@code memory.index_refresh_ms}); after {@link #flush()} they see every write
 *       that returned before it. Writes become visible in the order they were made.</li>
 *   <li><b>Reopen</b>: a store opened again sees everything written before, without a flush.</li>
 * </ul>
 */
public interface MemoryStore extends AutoCloseable {

    /** The embedder whose vectors this store holds (queries for {@link #vectorSearch} must use it). */
    Embedder embedder();

    // Layer 1

    /** Stores a resource verbatim (replacing one with the same id). */
    void putResource(Resource resource);

    Optional<Resource> resource(String id);

    /** The resources of {@code ids} that exist, by id: {@link #itemsById}'s counterpart (the same default). */
    default Map<String, Resource> resourcesById(Collection<String> ids) {
        var out = new LinkedHashMap<String, Resource>();
        for (String id : ids) resource(id).ifPresent(r -> out.put(id, r));
        return out;
    }

    /** All resources, oldest first. */
    List<Resource> resources();

    // Layer 2

    /** Adds or replaces (by id) items, embedding their content (possibly later, off the caller's thread). */
    void putItems(List<MemoryItem> items);

    /**
     * Adds or replaces items with vectors already computed by {@link #embedder()} (one per item, unit length, its
     * dimension): callers that embedded the texts anyway, for a duplicate check or a bulk load, do not pay twice.
     */
    void putItems(List<MemoryItem> items, List<float[]> vectors);

    Optional<MemoryItem> item(String id);

    /**
     * The items of {@code ids} that exist, by id, as {@link #item} reads them: what a restore or a copy compares
     * with before it writes. The default asks {@link #item} once per id; a store behind a network
     * answers a batch in one round trip.
     */
    default Map<String, MemoryItem> itemsById(Collection<String> ids) {
        var out = new LinkedHashMap<String, MemoryItem>();
        for (String id : ids) item(id).ifPresent(i -> out.put(id, i));
        return out;
    }

    /**
     * The vectors this store holds for {@code ids}, as {@link #embedder()}'s model computed them (ids without one are
     * left out): a backup carries them, so a restore or a copy into a store of the same model takes them instead of
     * embedding every item again. The default holds none, and such a copy embeds the items.
     */
    default Map<String, float[]> storedVectors(List<String> ids) { return Map.of(); }

    /** Removes an item; false when there was none (writes made before the call count, flushed or not). */
    boolean deleteItem(String id);

    /** Items of a scope (optionally one category), newest first, at most {@code limit}. */
    List<MemoryItem> items(SearchFilter filter, int limit);

    /** Every item in every scope, for export and reindexing. */
    List<MemoryItem> allItems();

    /** BM25 keyword search over item content, best first. An unknown scope finds nothing. */
    List<Hit> keywordSearch(String query, SearchFilter filter, int k);

    /** Nearest items to a query vector (from {@link #embedder()}), by cosine similarity, best first. */
    List<Hit> vectorSearch(float[] queryVector, SearchFilter filter, int k);

    /**
     * rag's search: BM25 and vectors each fetch their best {@code depth}; every candidate that only one list found is
     * scored by the other too (BM25 0 when it shares no term, so it stays out of the keyword list); {@code fuse}
     * ranks the two completed lists (keyword first, vector second); the best {@code k} are returned.
     *
     * <p>{@code fuse} must rank by item id and score only: a store may hand it items that carry just an id and
     * load the full items of the best {@code k} afterwards. Whatever a store does, the ranking must equal
     * {@link #completedSearch}'s (the conformance suite checks it).
     */
    default List<Hit> fusedSearch(String query, float[] queryVector, SearchFilter filter, int depth, int k,
                                  BinaryOperator<List<Hit>> fuse) {
        return completedSearch(this, query, queryVector, filter, depth, k, fuse);
    }

    /**
     * {@link #fusedSearch(String, float[], SearchFilter, int, int, BinaryOperator)} with a query vector that may
     * still be being computed: a store may run the half of the search that needs no vector (BM25) before it asks
     * {@code queryVector} for it, so that embedding the query and the keyword search overlap. Same ranking. The
     * default asks for the vector first.
     */
    default List<Hit> fusedSearch(String query, Supplier<float[]> queryVector, SearchFilter filter, int depth, int k,
                                  BinaryOperator<List<Hit>> fuse) {
        return fusedSearch(query, queryVector.get(), filter, depth, k, fuse);
    }

    /** {@link #fusedSearch} by its definition, through the store's keyword and vector searches. */
    static List<Hit> completedSearch(MemoryStore store, String query, float[] queryVector, SearchFilter filter,
                                     int depth, int k, BinaryOperator<List<Hit>> fuse) {
        var keyword = new ArrayList<>(store.keywordSearch(query, filter, depth));
        var semantic = new ArrayList<>(store.vectorSearch(queryVector, filter, depth));
        Set<String> inKeyword = new LinkedHashSet<>();
        for (Hit h : keyword) inKeyword.add(h.item().id());
        Set<String> inVector = new LinkedHashSet<>();
        for (Hit h : semantic) inVector.add(h.item().id());
        var onlyVector = inVector.stream().filter(id -> !inKeyword.contains(id)).toList();
        var onlyKeyword = inKeyword.stream().filter(id -> !inVector.contains(id)).toList();
        if (!onlyVector.isEmpty()) keyword.addAll(store.keywordSearch(query, filter.onlyIds(onlyVector), onlyVector.size()));
        if (!onlyKeyword.isEmpty()) semantic.addAll(store.vectorSearch(queryVector, filter.onlyIds(onlyKeyword), onlyKeyword.size()));
        List<Hit> fused = fuse.apply(keyword, semantic);
        return fused.size() > k ? List.copyOf(fused.subList(0, k)) : fused;
    }

    /** Items of a scope and category created after {@code since} (epoch millis). */
    long countItems(SearchFilter filter, long sinceEpochMillis);

    /** Items per category over all scopes (for the {@code sigil_memory_items} gauge). */
    Map<String, Long> itemCountsByCategory();

    // Layer 3

    /** Stores a category's description and summary (its item count is derived, not stored). */
    void putCategory(Category category);

    /** The category with its current item count; empty when it has neither a record nor items. */
    Optional<Category> category(Scope scope, String name);

    /** Every category of a scope that has a record or items, by name. */
    List<Category> categories(Scope scope);

    /**
     * Why writes cannot be made durable or searchable right now (a full disk, an index that fell behind), empty
     * while they can: health checks report it. Cheap: called on every {@code /health}.
     */
    default Optional<String> writeProblem() { return Optional.empty(); }

    /** Waits until every write that returned before this call is visible to reads and searches. */
    void flush();

    /** Makes everything written visible and durable in the store itself, then releases it. */
    @Override
    void close();
}
