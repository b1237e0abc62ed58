package io.sigil.memory.retrieval;

import io.sigil.config.Settings;
import io.sigil.errors.InvalidInputError;
import io.sigil.llm.ChatModel;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Finds memories in the three ways of sigil-design.md section 9.
 * <ul>
 *   <li>{@code rag}: BM25 and vector search over the same scope and category, fused ({@link Fusion});</li>
 *   <li>{@code llm}: rag proposes up to 50 candidates and the model ranks them ({@link LlmRanker});</li>
 *   <li>{@code hybrid} (default): rag with 2k results, then the {@link Confidence} score; at or above
 *       {@code hybridThreshold} rag answers, below it the query escalates to llm.</li>
 * </ul>
 */
public final class Retriever {
    /**
     * Chosen by measurement on both development sets (docs/memory.md, "Fusion: designed and measured"): weighted
     * fusion whose BM25 share moves per query towards the list whose best candidate stands out. It beats BM25 on
     * recall, MRR and nDCG where BM25 is the stronger half (the equal-weight fusion lost MRR there) and beats
     * both halves where vectors are stronger.
     */
    public static final Fusion DEFAULT_FUSION = new Fusion.AdaptiveWeighted(0.5, 0.3);
    /**
     * For e5-small-v2 vectors, which alone beat BM25 on every development set: a fixed weighted fusion with a small
     * BM25 share, chosen by 4-fold cross-validation over conversations on all three dev sets (docs/memory.md,
     * "Model choice").
     */
    public static final Fusion E5_FUSION = new Fusion.WeightedScore(0.2);
    static final String E5_SMALL = "e5-small-v2";

    /**
     * The default fusion for vectors of {@code embeddingModel}: how much say BM25 should have depends on how good the
     * vectors are. e5-small-v2 (quantized or not) gets {@link #E5_FUSION}, every other model {@link #DEFAULT_FUSION}.
     */
    public static Fusion defaultFusion(String embeddingModel) {
        return embeddingModel != null && embeddingModel.strip().toLowerCase(Locale.ROOT).startsWith(E5_SMALL)
                ? E5_FUSION : DEFAULT_FUSION;
    }
    static final int LLM_CANDIDATES = 50;

    private final MemoryStore store;
    private final LlmRanker ranker;
    private final int retrievalK;
    private final double hybridThreshold;
    private final Fusion fusion;
    private final TemporalBoost temporal;

    /** Starts a retriever over a store; see {@link Builder} for what can be set and the defaults. */
    public static Builder builder() { return new Builder(); }

    private Retriever(Builder b) {
        if (b.store == null) throw new IllegalArgumentException("a Retriever needs a memory store");
        if (b.retrievalK < 1) throw new IllegalArgumentException("retrieval_k must be >= 1");
        this.store = b.store;
        this.ranker = b.chatModel == null ? null : new LlmRanker(b.chatModel);
        this.retrievalK = b.retrievalK;
        this.hybridThreshold = b.hybridThreshold;
        this.fusion = b.fusion != null ? b.fusion
                : defaultFusion(b.store.embedder() == null ? null : b.store.embedder().model());
        this.temporal = b.temporalBoost;
    }

    public Recall recall(RecallQuery query) {
        if (query.text() == null || query.text().isBlank()) {
            throw new InvalidInputError("The memory query is empty", "say what to look for, e.g. \"Acme's budget\"");
        }
        long start = System.nanoTime();
        int k = query.k() > 0 ? query.k() : retrievalK;
        Recall partial = switch (query.mode()) {
            case KEYWORD -> answer(store.keywordSearch(query.text(), query.filter(), k), RetrievalMode.KEYWORD,
                    "keyword (BM25) search only", Double.NaN);
            case VECTOR -> answer(store.vectorSearch(store.embedder().embedQuery(query.text()), query.filter(), k),
                    RetrievalMode.VECTOR, "vector search only", Double.NaN);
            case RAG -> {
                List<Hit> hits = rag(query, k);
                yield answer(hits, RetrievalMode.RAG, "rag: " + fusion.describe()
                        + (temporal.on() ? ", " + temporal.describe() : ""), Double.NaN);
            }
            case LLM -> llm(query, k, rag(query, Math.max(k, LLM_CANDIDATES)), "llm mode requested");
            case HYBRID -> hybrid(query, k);
        };
        List<Hit> top = partial.hits().size() > k ? partial.hits().subList(0, k) : partial.hits();
        return new Recall(top, partial.answeredBy(), partial.reason(), partial.confidence(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private Recall hybrid(RecallQuery query, int k) {
        List<Hit> candidates = rag(query, Math.max(2 * k, ranker == null ? 2 * k : LLM_CANDIDATES));
        List<Hit> firstTwoK = candidates.subList(0, Math.min(candidates.size(), 2 * k));
        double confidence = Confidence.of(firstTwoK);
        String comparison = String.format(Locale.ROOT, "confidence %.3f %s threshold %.2f", confidence,
                confidence >= hybridThreshold ? ">=" : "<", hybridThreshold);
        if (candidates.isEmpty()) return answer(candidates, RetrievalMode.RAG, "rag found nothing to rank", confidence);
        if (confidence >= hybridThreshold) return answer(candidates, RetrievalMode.RAG, "hybrid: " + comparison, confidence);
        if (ranker == null) {
            return answer(candidates, RetrievalMode.RAG, "hybrid: " + comparison + ", but no model is configured to "
                    + "escalate to; rag answered", confidence);
        }
        Recall ranked = llm(query, k, candidates, "hybrid: " + comparison + ", escalated to llm");
        return new Recall(ranked.hits(), ranked.answeredBy(), ranked.reason(), confidence, Duration.ZERO);
    }

    private Recall llm(RecallQuery query, int k, List<Hit> candidates, String why) {
        if (ranker == null) {
            throw new InvalidInputError("llm retrieval needs a model, and none is configured",
                    "pass --model (e.g. --model test offline) or use --mode rag or hybrid");
        }
        List<Hit> pool = candidates.subList(0, Math.min(candidates.size(), LLM_CANDIDATES));
        if (pool.isEmpty()) return answer(pool, RetrievalMode.LLM, why + "; no candidates", Double.NaN);
        LlmRanker.Ranking ranking = ranker.rank(query.text(), pool, k);
        if (ranking.failure() != null) {
            return answer(pool, RetrievalMode.RAG, why + ", but the model's ranking was unusable ("
                    + ranking.failure() + "); rag answered", Double.NaN);
        }
        return answer(ranking.hits(), RetrievalMode.LLM, why + "; the model ranked " + pool.size() + " candidates",
                Double.NaN);
    }

    /**
     * BM25 (on the query without its question words, {@link QuestionWords}) and vectors each fetch a deep list (4k,
     * at least 50; the query is embedded when the store asks for its vector, which the embedded store does while its
     * BM25 search runs on another thread); then every candidate that only one list found is
     * scored by the other too (BM25 0 when it shares no term), so fusion compares complete evidence instead of
     * treating "not in my top 50" as "irrelevant" ({@link MemoryStore#fusedSearch}).
     */
    List<Hit> rag(RecallQuery query, int k) {
        TemporalBoost.Focus focus = temporal.focus(query.text(), query.asOf() != null ? query.asOf() : Instant.now(),
                (anchor, n) -> store.keywordSearch(anchor, query.filter(), n)); // only for "before/after <event>"
        // The store may ask for the vector once its BM25 search is under way, so that the two overlap.
        Supplier<float[]> vector = () -> store.embedder().embedQuery(focus.text());
        String keywordText = QuestionWords.strip(focus.text());
        int depth = Math.max(4 * k, 50);
        TimeWindow window = focus.window();
        if (window == null) return store.fusedSearch(keywordText, vector, query.filter(), depth, k, fusion::fuse);
        return store.fusedSearch(keywordText, vector, query.filter(), depth, k,
                (keyword, semantic) -> temporal.apply(fusion.fuse(keyword, semantic), window));
    }

    private static Recall answer(List<Hit> hits, RetrievalMode mode, String reason, double confidence) {
        return new Recall(hits, mode, reason, confidence, Duration.ZERO);
    }

    public Fusion fusion() { return fusion; }

    public TemporalBoost temporalBoost() { return temporal; }

    /**
     * Builds a {@link Retriever}. Only the store is required; the rest defaults to the settings' defaults
     * (memory.retrieval_k, memory.hybrid_threshold), the store's model's default fusion ({@link #defaultFusion}),
     * no chat model (hybrid stays with rag, llm mode is an error) and no temporal boost.
     */
    public static final class Builder {
        private MemoryStore store;
        private ChatModel chatModel;
        private int retrievalK = Settings.Memory.DEFAULTS.retrievalK();
        private double hybridThreshold = Settings.Memory.DEFAULTS.hybridThreshold();
        private Fusion fusion;
        private TemporalBoost temporalBoost = TemporalBoost.OFF;

        private Builder() { }

        public Builder store(MemoryStore store) { this.store = store; return this; }

        /** The model for llm mode and hybrid escalation; null when none is configured. */
        public Builder chatModel(ChatModel chatModel) { this.chatModel = chatModel; return this; }

        /** Results when a query does not say (settings memory.retrieval_k), at least 1. */
        public Builder retrievalK(int retrievalK) { this.retrievalK = retrievalK; return this; }

        /** Confidence below which hybrid escalates to llm (settings memory.hybrid_threshold). */
        public Builder hybridThreshold(double hybridThreshold) { this.hybridThreshold = hybridThreshold; return this; }

        /** How rag fuses its BM25 and vector lists; null for the store's model's default. */
        public Builder fusion(Fusion fusion) { this.fusion = fusion; return this; }

        /** A boost for results inside the span of time a question names (settings memory.temporal_boost). */
        public Builder temporalBoost(TemporalBoost temporalBoost) {
            this.temporalBoost = temporalBoost == null ? TemporalBoost.OFF : temporalBoost;
            return this;
        }

        public Retriever build() { return new Retriever(this); }
    }
}
