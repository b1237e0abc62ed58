package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.embed.OnnxEmbedder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The local embedding models side by side, in one run and interleaved (round 1 of every model, then round 2...), so
 * that all of them see the same shared load: stored-text throughput (dev-set turns in calls of 256, as ingestion and
 * reindex batch them) and the latency of one query embedding (what every search pays first).
 *
 * <p>Run: {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.memory.EmbedderSpeed [model...]}
 * (default: e5-small-v2-q all-minilm-l6-v2-q bge-small-en-v1.5-q; 512 texts and 100 queries a round, 3 rounds).
 */
public final class EmbedderSpeed {
    private static final int TEXTS = 512;
    private static final int BATCH = 256;
    private static final int QUERIES = 100;
    private static final int ROUNDS = 3;

    private EmbedderSpeed() { }

    private record Samples(List<Double> textsPerSecond, List<Double> queryMillis) { }

    public static void main(String[] args) {
        List<String> models = args.length == 0
                ? List.of(OnnxEmbedder.E5_SMALL_QUANTIZED, OnnxEmbedder.MINILM_QUANTIZED, OnnxEmbedder.BGE_SMALL_QUANTIZED)
                : List.of(args);
        var pool = SyntheticCorpus.pool();
        List<String> texts = new ArrayList<>(TEXTS);
        for (int i = 0; i < TEXTS; i++) texts.add(pool.corpus().get(i % pool.corpus().size()).text());
        List<String> queries = pool.queries().stream().map(q -> q.query()).toList();
        var embedders = new LinkedHashMap<String, Embedder>();
        var samples = new LinkedHashMap<String, Samples>();
        try {
            for (String m : models) {
                Embedder e = OnnxEmbedder.of(m);
                e.embed(texts.subList(0, BATCH)); // warm-up: JIT and the ONNX session
                for (int i = 0; i < 50; i++) e.embedQuery(queries.get(i % queries.size()));
                embedders.put(m, e);
                samples.put(m, new Samples(new ArrayList<>(), new ArrayList<>()));
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (var entry : embedders.entrySet()) {
                    Embedder e = entry.getValue();
                    Samples s = samples.get(entry.getKey());
                    long t0 = System.nanoTime();
                    for (int i = 0; i < TEXTS; i += BATCH) e.embed(texts.subList(i, Math.min(TEXTS, i + BATCH)));
                    s.textsPerSecond().add(TEXTS / ((System.nanoTime() - t0) / 1e9));
                    for (int q = 0; q < QUERIES; q++) {
                        long start = System.nanoTime();
                        e.embedQuery(queries.get((round * QUERIES + q) % queries.size()));
                        s.queryMillis().add((System.nanoTime() - start) / 1e6);
                    }
                }
            }
        } finally {
            embedders.values().forEach(Embedder::close);
        }
        System.out.printf(Locale.ROOT, "%-22s %26s %12s %12s%n", "model", "texts/s (median of rounds)", "query p50", "query p95");
        for (Map.Entry<String, Samples> e : samples.entrySet()) {
            double[] rate = e.getValue().textsPerSecond().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] ms = e.getValue().queryMillis().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-22s %12.0f (%s) %9.2f ms %9.2f ms%n", e.getKey(), rate[rate.length / 2],
                    Arrays.toString(Arrays.stream(rate).map(Math::rint).toArray()), ms[ms.length / 2],
                    ms[(int) Math.ceil(0.95 * ms.length) - 1]);
        }
        System.exit(0);
    }
}
