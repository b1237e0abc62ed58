package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Fusion;
import io.sigil.memory.retrieval.QuestionWords;
import io.sigil.memory.retrieval.Retriever;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * rag queries over a {@link SyntheticCorpus} index in a plain loop, for profiling (attach JFR) and for figures that
 * survive a loaded machine: besides wall-clock percentiles it reports the CPU time of the calling thread per query,
 * which other processes on the same cores barely change. Three parts are timed separately for each query: the query
 * embedding, rag's search given the vector ({@code fusedSearch}), and the same ranking by its definition
 * ({@code completedSearch}: four searches, every hit parsed) as the same-run reference. The index is kept in the
 * given directory and reused by later runs with the same size.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -Xmx3g -cp sigil-bench/target/benchmarks.jar
 * io.sigil.bench.memory.MemorySearchProfile 100000 /tmp/sigil-bench-100k 2000 e5-small-v2-q}. The model (default
 * e5-small-v2-q, the memory default) embeds the corpus and the queries (as queries) and picks rag's fusion; an index
 * built by {@link MemorySearchBench} with {@code -p indexDir=D} is {@code D/<model>-items-<items>}.
 */
public final class MemorySearchProfile {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MemorySearchProfile() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MemorySearchProfile <items> <index dir> [queries=2000] [model=e5-small-v2-q]");
            System.exit(2);
        }
        int items = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        String model = args.length > 3 ? args[3] : "e5-small-v2-q";
        Fusion fusion = Retriever.defaultFusion(model);
        try (Embedder embedder = OnnxEmbedder.of(model)) {
            long t0 = System.nanoTime();
            try (LuceneMemoryStore store = SyntheticCorpus.openOrBuild(dir, embedder, items, 7)) {
                System.out.printf("items %d, open or build %.1f s%n", items, (System.nanoTime() - t0) / 1e9);
                List<String> queries = SyntheticCorpus.pool().queries().stream().map(q -> q.query()).toList();
                var filter = SearchFilter.of(SyntheticCorpus.SCOPE);
                var parts = new String[] {"embedOnly", "rag search (vector given)", "rag by definition (vector given)"};
                long[][] wall = new long[3][n];
                long[][] cpu = new long[3][n];
                for (int i = -300; i < n; i++) { // the first 300 warm up
                    String q = queries.get(Math.floorMod(i, queries.size()));
                    long[] w = new long[4];
                    long[] c = new long[4];
                    w[0] = System.nanoTime();
                    c[0] = THREADS.getCurrentThreadCpuTime();
                    float[] vector = embedder.embedQuery(q);
                    String keywordText = QuestionWords.strip(q); // as rag does; cheap, timed with the embedding
                    w[1] = System.nanoTime();
                    c[1] = THREADS.getCurrentThreadCpuTime();
                    store.fusedSearch(keywordText, vector, filter, 50, 10, fusion::fuse);
                    w[2] = System.nanoTime();
                    c[2] = THREADS.getCurrentThreadCpuTime();
                    MemoryStore.completedSearch(store, keywordText, vector, filter, 50, 10, fusion::fuse);
                    w[3] = System.nanoTime();
                    c[3] = THREADS.getCurrentThreadCpuTime();
                    if (i < 0) continue;
                    for (int p = 0; p < 3; p++) {
                        wall[p][i] = w[p + 1] - w[p];
                        cpu[p][i] = c[p + 1] - c[p];
                    }
                }
                for (int p = 0; p < 3; p++) {
                    System.out.printf("%-34s wall %s | cpu %s%n", parts[p], percentiles(wall[p]), percentiles(cpu[p]));
                }
            }
        }
        System.exit(0);
    }

    private static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("p50 %6.2f p95 %6.2f p99 %6.2f ms", s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6);
    }
}
