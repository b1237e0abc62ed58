package io.sigil.memory.lucene;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.SearchFilter;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.QueryBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import static io.sigil.memory.lucene.IndexSchema.CONTENT;
import static io.sigil.memory.lucene.IndexSchema.CREATED;
import static io.sigil.memory.lucene.IndexSchema.JSON;
import static io.sigil.memory.lucene.IndexSchema.VECTOR;
import static io.sigil.memory.lucene.IndexSchema.itemFilter;
import static io.sigil.memory.lucene.IndexSchema.json;

/** Ranked searches over items: BM25, vectors, and both fused ({@link FusedSearch}). */
final class StoreSearches {
    /** The fewest nearest neighbours a vector search explores, whatever k it returns. */
    static final int MIN_VECTOR_CANDIDATES = 50;

    private final LiveIndex index;
    private final Analyzer analyzer = new EnglishAnalyzer();
    /** Scope and category filter bit sets per segment: 64 MB is about 100 filters over 5M documents. */
    private final ItemFilterCache filters = new ItemFilterCache(64L << 20);

    StoreSearches(LiveIndex index) { this.index = index; }

    List<Hit> keywordSearch(String query, SearchFilter filter, int k) {
        Query text = textQuery(query);
        if (text == null || k <= 0) return List.of();
        Query q = new BooleanQuery.Builder().add(text, Occur.MUST).add(searchFilter(filter), Occur.FILTER).build();
        return hits(q, k, false);
    }

    List<Hit> vectorSearch(float[] queryVector, SearchFilter filter, int k) {
        if (k <= 0) return List.of();
        // HNSW explores about as many candidates as it is asked for: asking for 10 (or 1, for the duplicate check)
        // misses true neighbours that a search for 50 finds (dev-set recall@10 0.41-0.44 against 0.46-0.47).
        int candidates = Math.max(k, MIN_VECTOR_CANDIDATES);
        return hits(new KnnFloatVectorQuery(VECTOR, queryVector, candidates, searchFilter(filter)), k, true);
    }

    /**
     * rag's search ({@link FusedSearch}). With {@code overlap} its BM25 half runs on a virtual thread while the
     * caller computes the query vector (the supplier embeds the query: about as long as the whole search at 100k
     * items); without it, both run in the caller, BM25 first. Same ranking either way.
     */
    List<Hit> fusedSearch(String query, Supplier<float[]> queryVector, boolean overlap, SearchFilter filter, int depth,
                          int k, BinaryOperator<List<Hit>> fuse) {
        if (depth <= 0 || k <= 0) return List.of();
        Query text = textQuery(query);
        Executor keyword = overlap ? StoreSearches::virtualThread : Runnable::run;
        return index.read(searcher -> new FusedSearch(searcher, VECTOR, JSON, CREATED)
                .search(text, searchFilter(filter), queryVector, keyword, filter.scope(), depth, k, fuse));
    }

    private static void virtualThread(Runnable task) { Thread.ofVirtual().name("sigil-memory-bm25").start(task); }

    /** Bytes held by the per-segment filter cache (tests and status). */
    long filterCacheBytes() { return filters.bytesUsed(); }

    private Query textQuery(String query) {
        return new QueryBuilder(analyzer).createBooleanQuery(CONTENT, query, Occur.SHOULD);
    }

    /** The item filter of a search, from the per-segment cache unless it names ids (rare and one-off). */
    private Query searchFilter(SearchFilter filter) {
        return filter.ids() == null ? filters.cached(itemFilter(filter)) : itemFilter(filter);
    }

    private List<Hit> hits(Query query, int k, boolean cosine) {
        return index.read(searcher -> {
            var docs = searcher.search(query, k);
            var out = new ArrayList<Hit>(docs.scoreDocs.length);
            for (ScoreDoc sd : docs.scoreDocs) {
                // Lucene scores DOT_PRODUCT as (1 + dot) / 2; hand back the cosine itself.
                double score = cosine ? 2.0 * sd.score - 1.0 : sd.score;
                out.add(new Hit(MemoryJson.read(json(searcher, sd.doc), MemoryItem.class), score));
            }
            return out;
        });
    }
}
