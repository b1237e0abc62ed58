package io.sigil.memory.lucene;

import io.sigil.memory.Categories;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Scope;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TimeLimitingKnnCollectorManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * {@link MemoryStore#fusedSearch} over one point-in-time searcher, with the ranking of
 * {@link MemoryStore#completedSearch} but a fraction of its work:
 * <ul>
 *   <li>candidates are Lucene doc ids until fusion is done: fusion sees items that carry only an id and their time
 *       (a doc value, for the temporal boost), and only the final k are read from stored fields (instead of parsing the JSON of every hit of four searches);</li>
 *   <li>a candidate that one list missed is scored by the other directly: its vector is read from the segment and
 *       scored the way Lucene's exact kNN search scores it, and the BM25 scorer is advanced to it, instead of two
 *       more searches restricted to a set of ids; the terms' statistics are looked up once for both BM25 uses;</li>
 *   <li>BM25's top n runs on another thread while the caller computes the query vector (when the vector is
 *       supplied lazily: rag embeds the query then), since neither needs the other.</li>
 * </ul>
 * Scores are computed by the same Lucene scorers as the searches they replace, so fusion receives the same lists
 * in the same order ({@code FusedSearchTest} compares both on the dev set).
 */
final class FusedSearch {
    private static final String HANDLE = "#doc:";
    private static final Instant NO_TIME = Instant.EPOCH;

    private final IndexSearcher searcher;
    private final String vectorField;
    private final String jsonField;
    private final String createdField;

    FusedSearch(IndexSearcher searcher, String vectorField, String jsonField, String createdField) {
        this.searcher = searcher;
        this.vectorField = vectorField;
        this.jsonField = jsonField;
        this.createdField = createdField;
    }

    /**
     * @param text    the analysed BM25 query, null when the query has no searchable term
     * @param filter  which documents may match (items of the scope and category)
     * @param query   the query vector, asked for once BM25's search has been handed to {@code keyword}
     * @param bm25    runs BM25's search: on another thread it overlaps computing the query vector (the caller runs
     *                it itself if that thread has not started it by the time the vector is there)
     */
    List<Hit> search(Query text, Query filter, Supplier<float[]> query, Executor bm25, Scope scope, int depth,
                     int k, BinaryOperator<List<Hit>> fuse) throws IOException {
        var keywordSearch = new FutureTask<Bm25>(() -> {
            if (text == null) return new Bm25(new ScoreDoc[0], null);
            Query terms = withTermStates(text);
            ScoreDoc[] top = top(new BooleanQuery.Builder().add(terms, Occur.MUST).add(filter, Occur.FILTER).build(), depth);
            return new Bm25(top, completionScorers(terms));
        });
        bm25.execute(keywordSearch);
        float[] vector;
        try {
            vector = query.get();
        } catch (RuntimeException | Error e) {
            keywordSearch.cancel(false);
            throw e;
        }
        Bm25 bm25Result = result(keywordSearch);
        ScoreDoc[] keywordTop = bm25Result.top();
        ScoreDoc[] vectorTop = searcher.search(new ItemKnnQuery(vectorField, vector, depth, filter,
                searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f)), depth).scoreDocs;

        var handles = new HashMap<Integer, MemoryItem>();
        Set<Integer> inKeyword = docs(keywordTop);
        Set<Integer> inVector = docs(vectorTop);

        var keyword = new ArrayList<Hit>(keywordTop.length + vectorTop.length);
        for (ScoreDoc sd : keywordTop) keyword.add(new Hit(handle(handles, sd.doc, scope), sd.score));
        if (bm25Result.scorers() != null) {
            for (ScoreDoc sd : bm25(bm25Result.scorers(), missing(vectorTop, inKeyword))) {
                keyword.add(new Hit(handle(handles, sd.doc, scope), sd.score));
            }
        }
        var semantic = new ArrayList<Hit>(keywordTop.length + vectorTop.length);
        for (ScoreDoc sd : vectorTop) semantic.add(new Hit(handle(handles, sd.doc, scope), cosine(sd.score)));
        for (ScoreDoc sd : similarity(vector, missing(keywordTop, inVector))) {
            semantic.add(new Hit(handle(handles, sd.doc, scope), cosine(sd.score)));
        }

        List<Hit> fused = fuse.apply(keyword, semantic);
        return materialise(fused.size() > k ? fused.subList(0, k) : fused);
    }

    /** BM25's best docs, and a scorer per segment (null where nothing matches) to score the vectors' candidates. */
    private record Bm25(ScoreDoc[] top, Scorer[] scorers) { }

    /** Made beside the query's embedding too: they need only the text (creating them was a tenth of a search). */
    private Scorer[] completionScorers(Query terms) throws IOException {
        Weight weight = searcher.createWeight(searcher.rewrite(terms), ScoreMode.COMPLETE, 1f);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        var scorers = new Scorer[leaves.size()];
        for (LeafReaderContext leaf : leaves) scorers[leaf.ord] = weight.scorer(leaf);
        return scorers;
    }

    /**
     * The query with each term's statistics looked up once (in every segment's term dictionary), for the top-n
     * search and the completion alike, instead of once by each: a term query scores with the statistics it carries,
     * so the scores are the same.
     */
    private Query withTermStates(Query query) throws IOException {
        if (query instanceof TermQuery t) return new TermQuery(t.getTerm(), TermStates.build(searcher, t.getTerm(), true));
        if (query instanceof BooleanQuery b) {
            var copy = new BooleanQuery.Builder().setMinimumNumberShouldMatch(b.getMinimumNumberShouldMatch());
            for (BooleanClause c : b.clauses()) copy.add(withTermStates(c.query()), c.occur());
            return copy.build();
        }
        return query;
    }

    /** The keyword search's result: computed here unless another thread has started it, then waited for. */
    private static Bm25 result(FutureTask<Bm25> keywordSearch) throws IOException {
        keywordSearch.run(); // does nothing once another thread has started it
        try {
            return keywordSearch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the BM25 search");
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IOException("the BM25 search failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * The best {@code n} docs of a query, as {@code searcher.search(query, n)} ranks them. That search counts its
     * first 1,000 hits exactly before it lets BM25 skip documents that cannot enter the top n; fusion needs no hit
     * count, so skipping starts once n hits are collected (same docs, same scores, same order).
     */
    private ScoreDoc[] top(Query query, int n) throws IOException {
        int capped = Math.max(1, Math.min(n, searcher.getIndexReader().maxDoc())); // as search(query, n) caps it
        return searcher.search(query, new TopScoreDocCollectorManager(capped, null, capped)).scoreDocs;
    }

    /**
     * Lucene's kNN query intersects its filter with "has a vector" in every segment and copies the result into a new
     * bit set, a fifth of a rag query's time. Every item has a vector, so the item filter alone selects the same
     * documents, and a cached filter's bit set is used as is (see {@link ItemFilterCache}).
     */
    private static final class ItemKnnQuery extends KnnFloatVectorQuery {
        private final Weight itemFilter;

        ItemKnnQuery(String field, float[] target, int k, Query filter, Weight itemFilter) {
            super(field, target, k, filter);
            this.itemFilter = itemFilter;
        }

        @Override
        protected TopDocs searchLeaf(LeafReaderContext leaf, Weight filterWithVectors,
                                     TimeLimitingKnnCollectorManager collectors) throws IOException {
            return super.searchLeaf(leaf, itemFilter, collectors);
        }
    }

    // Lucene scores DOT_PRODUCT as (1 + dot) / 2; the port's vector score is the cosine itself.
    private static double cosine(float luceneScore) { return 2.0 * luceneScore - 1.0; }

    /** An item standing for a document during fusion: its id names the doc; only its time is read (a doc value). */
    private MemoryItem handle(Map<Integer, MemoryItem> handles, int doc, Scope scope) throws IOException {
        MemoryItem h = handles.get(doc);
        if (h == null) {
            h = new MemoryItem(HANDLE + doc, null, "", Categories.GENERAL, 1, Map.of(), scope, created(doc));
            handles.put(doc, h);
        }
        return h;
    }

    private Instant created(int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        NumericDocValues values = leaf.reader().getNumericDocValues(createdField);
        return values != null && values.advanceExact(doc - leaf.docBase) ? Instant.ofEpochMilli(values.longValue()) : NO_TIME;
    }

    private static Set<Integer> docs(ScoreDoc[] hits) {
        var out = new HashSet<Integer>(hits.length * 2);
        for (ScoreDoc sd : hits) out.add(sd.doc);
        return out;
    }

    /** Docs of {@code hits} that {@code found} does not contain, ascending (scorers only move forward). */
    private static int[] missing(ScoreDoc[] hits, Set<Integer> found) {
        return Arrays.stream(hits).mapToInt(sd -> sd.doc).filter(d -> !found.contains(d)).sorted().toArray();
    }

    /** BM25 scores of the given docs that match the text (per-segment scorers of it), best first as a search orders them. */
    private List<ScoreDoc> bm25(Scorer[] scorers, int[] docs) throws IOException {
        var out = new ArrayList<ScoreDoc>(docs.length);
        if (docs.length == 0) return out;
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (int i = 0; i < docs.length; ) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
            int end = endOfLeaf(docs, i, leaf);
            Scorer scorer = scorers[leaf.ord];
            if (scorer != null) {
                TwoPhaseIterator twoPhase = scorer.twoPhaseIterator();
                DocIdSetIterator it = twoPhase == null ? scorer.iterator() : twoPhase.approximation();
                for (int j = i; j < end; j++) {
                    int target = docs[j] - leaf.docBase;
                    int at = it.docID() < target ? it.advance(target) : it.docID();
                    if (at == target && (twoPhase == null || twoPhase.matches())) out.add(new ScoreDoc(docs[j], scorer.score()));
                }
            }
            i = end;
        }
        return bestFirst(out);
    }

    /** Vector scores of the given docs, computed as Lucene's exact kNN search computes them. */
    private List<ScoreDoc> similarity(float[] vector, int[] docs) throws IOException {
        var out = new ArrayList<ScoreDoc>(docs.length);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        for (int i = 0; i < docs.length; ) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docs[i], leaves));
            int end = endOfLeaf(docs, i, leaf);
            FloatVectorValues values = leaf.reader().getFloatVectorValues(vectorField);
            if (values != null) {
                VectorScorer scorer = values.scorer(vector);
                DocIdSetIterator it = scorer.iterator();
                for (int j = i; j < end; j++) {
                    int target = docs[j] - leaf.docBase;
                    int at = it.docID() < target ? it.advance(target) : it.docID();
                    if (at == target) out.add(new ScoreDoc(docs[j], scorer.score()));
                }
            }
            i = end;
        }
        return bestFirst(out);
    }

    private static int endOfLeaf(int[] docs, int from, LeafReaderContext leaf) {
        int limit = leaf.docBase + leaf.reader().maxDoc();
        int end = from;
        while (end < docs.length && docs[end] < limit) end++;
        return end;
    }

    /** The order of a search's top docs: score descending, then doc id ascending. */
    private static List<ScoreDoc> bestFirst(List<ScoreDoc> docs) {
        docs.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
        return docs;
    }

    /** Replaces the handles of the final hits by the stored items. */
    private List<Hit> materialise(List<Hit> top) throws IOException {
        StoredFields stored = searcher.storedFields();
        var out = new ArrayList<Hit>(top.size());
        for (Hit h : top) {
            int doc = Integer.parseInt(h.item().id().substring(HANDLE.length()));
            String json = stored.document(doc).get(jsonField);
            out.add(new Hit(MemoryJson.read(json, MemoryItem.class), h.score()));
        }
        return out;
    }
}
