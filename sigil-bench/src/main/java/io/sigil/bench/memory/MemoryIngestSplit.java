package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Ingest with real embeddings, store against encoder, in one run and alternating so that both see the same load:
 * <ul>
 *   <li><b>encoder</b>: the same texts through the encoder alone, {@code batch} texts a call;</li>
 *   <li><b>store</b>: {@code putItems} of {@code batch} items a call (the store embeds them itself), then
 *       {@code flush()}: the time until every item is durable, embedded, indexed and searchable;</li>
 *   <li><b>callers blocked</b>: of the store time, how long the {@code putItems} calls themselves took (they return
 *       once the write is in the log; embedding and indexing happen behind them).</li>
 * </ul>
 * Indexing overhead = store / encoder - 1. Each pass is repeated; the medians are printed.
 *
 * <p>Run: {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.memory.MemoryIngestSplit [batch...]}
 * (default 64 256; 2,560 items a pass, 3 passes); {@code -Dsigil.bench.model=all-minilm-l6-v2-q} picks another
 * local model than the default e5-small-v2-q.
 */
public final class MemoryIngestSplit {
    private static final int ITEMS = 2560;
    private static final int PASSES = 3;

    private MemoryIngestSplit() { }

    public static void main(String[] args) throws IOException {
        List<String> pool = SyntheticCorpus.pool().corpus().stream().map(d -> d.text()).toList();
        List<String> texts = new ArrayList<>(ITEMS);
        for (int i = 0; i < ITEMS; i++) texts.add(pool.get(i % pool.size()));
        String model = System.getProperty("sigil.bench.model", OnnxEmbedder.E5_SMALL_QUANTIZED);
        System.out.println("model " + model);
        try (Embedder embedder = OnnxEmbedder.of(model)) {
            embedder.embed(texts.subList(0, 256)); // warm-up: JIT and the ONNX session
            for (String arg : args.length == 0 ? new String[] {"64", "256"} : args) {
                int batch = Integer.parseInt(arg);
                double[] encode = new double[PASSES], store = new double[PASSES], blocked = new double[PASSES];
                for (int pass = 0; pass < PASSES; pass++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < ITEMS; i += batch) embedder.embed(texts.subList(i, Math.min(ITEMS, i + batch)));
                    encode[pass] = (System.nanoTime() - t0) / 1e9;
                    double[] s = storePass(embedder, texts, batch);
                    store[pass] = s[0];
                    blocked[pass] = s[1];
                }
                double e = median(encode), st = median(store), b = median(blocked);
                System.out.printf(java.util.Locale.ROOT, "batch=%d items=%d encoder=%.0f items/s (%.2f s) "
                                + "store(log+encode+index+refresh)=%.0f items/s (%.2f s) indexing overhead=%.1f%% "
                                + "callers blocked %.3f s (%.1f%% of store time)%n",
                        batch, ITEMS, ITEMS / e, e, ITEMS / st, st, 100 * (st / e - 1), b, 100 * b / st);
            }
        }
        System.exit(0);
    }

    /** Seconds until everything is searchable, and seconds spent inside putItems. */
    private static double[] storePass(Embedder embedder, List<String> texts, int batch) throws IOException {
        Path dir = Files.createTempDirectory("sigil-ingest-split");
        try (var store = LuceneMemoryStore.open(dir, embedder)) {
            long id = 0, inCalls = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < ITEMS; i += batch) {
                var items = new ArrayList<MemoryItem>(batch);
                for (String t : texts.subList(i, Math.min(ITEMS, i + batch))) {
                    items.add(new MemoryItem("i" + id++, null, t, "general", 1, Map.of(), SyntheticCorpus.SCOPE, null));
                }
                long c = System.nanoTime();
                store.putItems(items);
                inCalls += System.nanoTime() - c;
            }
            store.flush();
            return new double[] {(System.nanoTime() - t0) / 1e9, inCalls / 1e9};
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
