package io.sigil.memory.eval;

import io.sigil.memory.Categories;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Scope;
import io.sigil.memory.retrieval.KeywordText;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures retrieval on an {@link EvalSet}: indexes the corpus as items (no extraction, ids kept; turns of one
 * conversation in order, each carrying its preceding turns as keyword context), then runs every query in each
 * requested mode and reports recall@k, MRR@k, nDCG@k and search latency.
 */
public final class Evaluator {
    private static final int BATCH = 256;
    /** Preceding turns in a turn's keyword text by default: the previous one (more added noise on both dev sets). */
    public static final int DEFAULT_CONTEXT_TURNS = 1;
    /** A preceding turn is cut to this many characters in the context. */
    public static final int CONTEXT_CHARS = 300;

    /** One mode's results. Latencies are milliseconds per query, query embedding included. */
    public record ModeReport(RetrievalMode mode, int queries, double recall, double mrr, double ndcg, double p50Ms,
                             double p95Ms, double p99Ms, Map<RetrievalMode, Integer> answeredBy) { }

    /** The whole run: indexing of the corpus and one report per mode. */
    public record Report(int k, int corpusSize, double indexingSeconds, double itemsPerSecond, List<ModeReport> modes) { }

    /** Per-query figures of one run, in the order of the set's queries (for cross-validation). */
    public record Scores(double[] recall, double[] reciprocalRank, double[] ndcg, double[] latencyMs,
                         Map<RetrievalMode, Integer> answeredBy) { }

    private Evaluator() { }

    /** {@link #index(MemoryStore, EvalSet, int)} with the default context window. */
    public static double index(MemoryStore store, EvalSet set) {
        return index(store, set, DEFAULT_CONTEXT_TURNS);
    }

    /**
     * Adds the corpus to an empty store as items of category general, in batches, and waits until it is searchable;
     * returns seconds taken. Each turn of a conversation gets the {@code contextTurns} turns before it as keyword
     * context ({@link KeywordText#CONTEXT}).
     */
    public static double index(MemoryStore store, EvalSet set, int contextTurns) {
        return index(store, set, contextTurns, null);
    }

    /**
     * As {@link #index(MemoryStore, EvalSet, int)}, with the vectors already computed (one per corpus entry, in
     * order; null to let the store embed): the context changes only the keyword text, so several context windows
     * can be compared without embedding the corpus again.
     */
    public static double index(MemoryStore store, EvalSet set, int contextTurns, List<float[]> vectors) {
        long start = System.nanoTime();
        List<MemoryItem> items = items(set, contextTurns);
        for (int i = 0; i < items.size(); i += BATCH) {
            List<MemoryItem> batch = items.subList(i, Math.min(items.size(), i + BATCH));
            if (vectors == null) store.putItems(batch);
            else store.putItems(batch, vectors.subList(i, i + batch.size()));
        }
        store.flush(); // indexed and searchable: that is what the rate measures
        return (System.nanoTime() - start) / 1e9;
    }

    /** The corpus as items, in file order, with conversation context attached. */
    public static List<MemoryItem> items(EvalSet set, int contextTurns) {
        var history = new HashMap<String, List<String>>();
        var out = new ArrayList<MemoryItem>(set.corpus().size());
        for (EvalSet.Doc doc : set.corpus()) {
            var metadata = new HashMap<String, String>();
            if (doc.conversation() != null) {
                metadata.put(KeywordText.CONVERSATION, doc.conversation());
                List<String> before = history.computeIfAbsent(doc.conversation(), c -> new ArrayList<>());
                String context = KeywordText.context(before, contextTurns, CONTEXT_CHARS);
                if (!context.isEmpty()) metadata.put(KeywordText.CONTEXT, context);
                before.add(doc.text());
                if (before.size() > Math.max(contextTurns, 1)) before.removeFirst();
            }
            out.add(new MemoryItem(doc.id(), null, doc.text(), Categories.GENERAL, 1.0, metadata, doc.scope(),
                    doc.timestamp() == null ? Instant.EPOCH : doc.timestamp()));
        }
        return out;
    }

    public static ModeReport run(Retriever retriever, EvalSet set, RetrievalMode mode, int k) {
        return summarise(mode, scores(retriever, set, mode, k));
    }

    /** Runs every query once and keeps its figures. */
    public static Scores scores(Retriever retriever, EvalSet set, RetrievalMode mode, int k) {
        int n = set.queries().size();
        double[] recall = new double[n], rr = new double[n], ndcg = new double[n], latencies = new double[n];
        var answeredBy = new EnumMap<RetrievalMode, Integer>(RetrievalMode.class);
        Map<Scope, Instant> asked = askedAt(set);
        for (int i = 0; i < n; i++) {
            EvalSet.Query q = set.queries().get(i);
            Instant askedAt = q.askedAt() != null ? q.askedAt() : asked.get(q.scope());
            Recall result = retriever.recall(new RecallQuery(q.query(), q.scope(), null, k, mode, askedAt));
            List<String> ids = result.hits().stream().map(h -> h.item().id()).toList();
            recall[i] = Metrics.recall(ids, q.relevant(), k);
            rr[i] = Metrics.reciprocalRank(ids, q.relevant(), k);
            ndcg[i] = Metrics.ndcg(ids, q.relevant(), k);
            latencies[i] = result.took().toNanos() / 1e6;
            answeredBy.merge(result.answeredBy(), 1, Integer::sum);
        }
        return new Scores(recall, rr, ndcg, latencies, Map.copyOf(answeredBy));
    }

    /**
     * When each scope's questions are taken to be asked unless a question gives its own {@code asked_at}: just after
     * the scope's last stored turn (the questions come after the conversations). Scopes without times are absent
     * (now is used).
     */
    static Map<Scope, Instant> askedAt(EvalSet set) {
        var out = new HashMap<Scope, Instant>();
        for (EvalSet.Doc d : set.corpus()) {
            if (d.timestamp() != null) out.merge(d.scope(), d.timestamp().plusSeconds(60), (a, b) -> a.isAfter(b) ? a : b);
        }
        return out;
    }

    public static ModeReport summarise(RetrievalMode mode, Scores s) {
        int n = s.recall().length;
        double[] latencies = s.latencyMs().clone();
        Arrays.sort(latencies);
        return new ModeReport(mode, n, mean(s.recall()), mean(s.reciprocalRank()), mean(s.ndcg()),
                Metrics.percentile(latencies, 50), Metrics.percentile(latencies, 95), Metrics.percentile(latencies, 99),
                s.answeredBy());
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) sum += x;
        return v.length == 0 ? 0 : sum / v.length;
    }
}
