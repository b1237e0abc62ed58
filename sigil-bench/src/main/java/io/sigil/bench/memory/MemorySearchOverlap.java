package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.Fusion;
import io.sigil.memory.retrieval.QuestionWords;
import io.sigil.memory.retrieval.Retriever;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * rag's search with the query embedding included, two ways interleaved query by query (so that both see the same
 * neighbours on a shared machine, which JMH's one-benchmark-after-the-other cannot promise): {@code sequential}
 * embeds the query, then searches ({@code fusedSearch} with the vector); {@code overlap} is rag's path (the store
 * starts BM25 on another thread, then asks for the vector, which the caller computes meanwhile); {@code embedOnly}
 * is the embedding alone. The order of the three rotates per query. Wall-clock percentiles, milliseconds.
 *
 * <p>Run (index as built by {@link MemorySearchBench} with {@code -p indexDir=D}): {@code java
 * --add-modules=jdk.incubator.vector -Xmx3g -cp sigil-bench/target/benchmarks.jar
 * io.sigil.bench.memory.MemorySearchOverlap D/e5-small-v2-q-items-100000 100000 3000}.
 */
public final class MemorySearchOverlap {
    private static final String MODEL = "e5-small-v2-q";

    private MemorySearchOverlap() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MemorySearchOverlap <index dir> <items> [queries=3000]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int items = Integer.parseInt(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        Fusion fusion = Retriever.defaultFusion(MODEL);
        String[] names = {"sequential", "overlap", "embedOnly"};
        long[][] wall = new long[names.length][n];
        try (Embedder embedder = OnnxEmbedder.of(MODEL);
             LuceneMemoryStore store = SyntheticCorpus.openOrBuild(dir, embedder, items, 7)) {
            List<String> queries = SyntheticCorpus.pool().queries().stream().map(q -> q.query()).toList();
            SyntheticCorpus.readFiles(dir);
            var filter = SearchFilter.of(SyntheticCorpus.SCOPE);
            for (int i = -600; i < n; i++) { // the first 600 warm up
                String q = queries.get(Math.floorMod(i, queries.size()));
                String keywordText = QuestionWords.strip(q);
                for (int step = 0; step < names.length; step++) {
                    int way = (step + Math.floorMod(i, names.length)) % names.length;
                    long start = System.nanoTime();
                    switch (way) {
                        case 0 -> store.fusedSearch(keywordText, embedder.embedQuery(q), filter, 50, 10, fusion::fuse);
                        case 1 -> store.fusedSearch(keywordText, () -> embedder.embedQuery(q), filter, 50, 10, fusion::fuse);
                        default -> embedder.embedQuery(q);
                    }
                    if (i >= 0) wall[way][i] = System.nanoTime() - start;
                }
            }
        }
        for (int way = 0; way < names.length; way++) {
            long[] s = wall[way].clone();
            Arrays.sort(s);
            System.out.printf("%-11s p50 %6.2f p95 %6.2f p99 %6.2f ms%n", names[way], s[n / 2] / 1e6,
                    s[(int) (n * 0.95)] / 1e6, s[(int) (n * 0.99)] / 1e6);
        }
        System.exit(0);
    }
}
