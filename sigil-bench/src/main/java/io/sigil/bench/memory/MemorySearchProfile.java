package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A plain loop of rag queries over a {@link SyntheticCorpus} index, for profiling (attach JFR) and quick
 * percentiles without JMH. The index is kept in the given directory and reused by later runs.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector -Xmx3g -cp sigil-bench/target/benchmarks.jar
 * io.sigil.bench.memory.MemorySearchProfile 100000 /tmp/sigil-bench-100k 3000}
 */
public final class MemorySearchProfile {
    private MemorySearchProfile() { }

    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        try (Embedder embedder = OnnxEmbedder.miniLmQuantized()) {
            long t0 = System.nanoTime();
            try (LuceneMemoryStore store = SyntheticCorpus.openOrBuild(dir, embedder, items, 7)) {
                System.out.printf("open/build %.1f s%n", (System.nanoTime() - t0) / 1e9);
                var retriever = new Retriever(store, null, 10, 0.7, Retriever.DEFAULT_FUSION);
                List<String> queries = SyntheticCorpus.pool().queries().stream().map(q -> q.query()).toList();
                for (int i = 0; i < 300; i++) run(retriever, queries.get(i % queries.size()));
                long[] rag = new long[n];
                long[] embed = new long[n];
                for (int i = 0; i < n; i++) {
                    String q = queries.get(i % queries.size());
                    long a = System.nanoTime();
                    embedder.embed(q);
                    long b = System.nanoTime();
                    run(retriever, q);
                    long c = System.nanoTime();
                    embed[i] = b - a;
                    rag[i] = c - b;
                }
                System.out.println("embedOnly " + percentiles(embed));
                System.out.println("rag       " + percentiles(rag));
            }
        }
        System.exit(0);
    }

    private static void run(Retriever retriever, String q) {
        retriever.recall(new RecallQuery(q, SyntheticCorpus.SCOPE, null, 10, RetrievalMode.RAG));
    }

    private static String percentiles(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return String.format("p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms", s[s.length / 2] / 1e6,
                s[(int) (s.length * 0.95)] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6);
    }
}
