package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Fusion;
import io.sigil.memory.retrieval.QuestionWords;
import io.sigil.memory.retrieval.Recall;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Memory search latency at index scale, one scope, query embedding included (sample mode: JMH reports p50, p95,
 * p99). {@code rag} is the default path (BM25, on another thread while the query is embedded, + HNSW + completion of
 * scores + fusion); {@code ragSequential} the same search with the query embedded before it starts; {@code embedOnly} is the
 * baseline: the query embedding alone; {@code ragByDefinition} is the unoptimised computation of the same
 * ranking. Corpus: {@link SyntheticCorpus}.
 *
 * <p>Run: {@code java -jar sigil-bench/target/benchmarks.jar MemorySearchBench -p items=100000 -f 1 -wi 2 -i 3 -w 1s
 * -r 2s -jvmArgs '--add-modules=jdk.incubator.vector -Xmx3g'}. {@code -p items=} selects 10000, 100000 and/or
 * 1000000. The index is built in the trial's setup (about 25 s per 100k items on two quiet cores) and deleted after,
 * unless {@code -p indexDir=/path} names a directory: then the first run builds it there ({@code <model>-items-<n>})
 * and later runs with the same items and model reuse it (setup in seconds), which is how to re-measure 1M items
 * quickly. {@code -p model=} picks the local embedding model (default e5-small-v2-q, the memory default); rag uses
 * that model's default fusion.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MemorySearchBench {
    @Param({"10000", "100000", "1000000"})
    public int items;

    /** Where to keep the index between runs ("" = a temporary directory, deleted after the trial). */
    @Param("")
    public String indexDir;

    /** The embedding model (the default memory model; all-minilm-l6-v2-q for the earlier figures). */
    @Param("e5-small-v2-q")
    public String model;

    private Path dir;
    private Fusion fusion;
    private Embedder embedder;
    private LuceneMemoryStore store;
    private Retriever retriever;
    private List<String> queries;
    private int next;

    @Setup(Level.Trial)
    public void build() throws IOException {
        dir = indexDir.isEmpty() ? Files.createTempDirectory("sigil-memory-bench")
                : Path.of(indexDir, model + "-items-" + items);
        embedder = OnnxEmbedder.of(model);
        store = SyntheticCorpus.openOrBuild(dir, embedder, items, 7);
        fusion = Retriever.defaultFusion(model);
        retriever = Retriever.builder().store(store).retrievalK(10).hybridThreshold(0.7).fusion(fusion).build();
        queries = SyntheticCorpus.pool().queries().stream().map(q -> q.query()).toList();
        // Steady state: a reused index is not in the page cache yet (1.6 GB at 1M items), and whichever benchmark
        // ran first would pay for reading it. Read it once, then run some queries for the JIT.
        SyntheticCorpus.readFiles(dir);
        for (int i = 0; i < 200; i++) rag();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        embedder.close();
        if (indexDir.isEmpty()) SyntheticCorpus.delete(dir);
    }

    private String query() { return queries.get(next++ % queries.size()); }

    @Benchmark
    public Recall rag() {
        return retriever.recall(new RecallQuery(query(), SyntheticCorpus.SCOPE, null, 10, RetrievalMode.RAG));
    }

    /**
     * rag's search with the query embedded first, then BM25 and the rest in the same thread: the path as it was
     * before BM25 ran beside the embedding (same ranking as {@code rag} without the temporal boost, which is off here).
     */
    @Benchmark
    public List<Hit> ragSequential() {
        String q = query();
        return store.fusedSearch(QuestionWords.strip(q), embedder.embedQuery(q), SearchFilter.of(SyntheticCorpus.SCOPE),
                50, 10, fusion::fuse);
    }

    @Benchmark
    public float[] embedOnly() { return embedder.embedQuery(query()); }

    /**
     * Same-run reference: rag's ranking computed by its definition ({@link MemoryStore#completedSearch}: four
     * searches, every hit's stored item parsed), the way rag ran before {@code FusedSearch}.
     */
    @Benchmark
    public List<Hit> ragByDefinition() {
        String q = query();
        return MemoryStore.completedSearch(store, QuestionWords.strip(q), embedder.embedQuery(q),
                SearchFilter.of(SyntheticCorpus.SCOPE), 50, 10, fusion::fuse);
    }
}
