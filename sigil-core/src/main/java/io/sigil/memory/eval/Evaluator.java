package io.sigil.memory.eval;

import io.sigil.memory.Categories;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Measures retrieval on an {@link EvalSet}: indexes the corpus as items (no extraction, ids kept), then runs
 * every query in each requested mode and reports recall@k, MRR@k, nDCG@k and search latency.
 */
public final class Evaluator {
    private static final int BATCH = 256;

    /** One mode's results. Latencies are milliseconds per query, query embedding included. */
    public record ModeReport(RetrievalMode mode, int queries, double recall, double mrr, double ndcg, double p50Ms,
                             double p95Ms, double p99Ms, Map<RetrievalMode, Integer> answeredBy) { }

    /** The whole run: indexing of the corpus and one report per mode. */
    public record Report(int k, int corpusSize, double indexingSeconds, double itemsPerSecond, List<ModeReport> modes) { }

    private Evaluator() { }

    /**
     * Adds the corpus to an empty store as items of category general, in batches, and waits until it is searchable;
     * returns seconds taken.
     */
    public static double index(MemoryStore store, EvalSet set) {
        long start = System.nanoTime();
        var batch = new ArrayList<MemoryItem>(BATCH);
        for (EvalSet.Doc doc : set.corpus()) {
            batch.add(new MemoryItem(doc.id(), null, doc.text(), Categories.GENERAL, 1.0, Map.of(), doc.scope(),
                    doc.timestamp() == null ? Instant.EPOCH : doc.timestamp()));
            if (batch.size() == BATCH) {
                store.putItems(batch);
                batch.clear();
            }
        }
        store.putItems(batch);
        store.flush(); // indexed and searchable: that is what the rate measures
        return (System.nanoTime() - start) / 1e9;
    }

    public static ModeReport run(Retriever retriever, EvalSet set, RetrievalMode mode, int k) {
        double recall = 0, mrr = 0, ndcg = 0;
        double[] latencies = new double[set.queries().size()];
        var answeredBy = new EnumMap<RetrievalMode, Integer>(RetrievalMode.class);
        int i = 0;
        for (EvalSet.Query q : set.queries()) {
            Recall result = retriever.recall(new RecallQuery(q.query(), q.scope(), null, k, mode));
            List<String> ids = result.hits().stream().map(h -> h.item().id()).toList();
            recall += Metrics.recall(ids, q.relevant(), k);
            mrr += Metrics.reciprocalRank(ids, q.relevant(), k);
            ndcg += Metrics.ndcg(ids, q.relevant(), k);
            latencies[i++] = result.took().toNanos() / 1e6;
            answeredBy.merge(result.answeredBy(), 1, Integer::sum);
        }
        int n = set.queries().size();
        Arrays.sort(latencies);
        return new ModeReport(mode, n, recall / n, mrr / n, ndcg / n, Metrics.percentile(latencies, 50),
                Metrics.percentile(latencies, 95), Metrics.percentile(latencies, 99), Map.copyOf(answeredBy));
    }
}
