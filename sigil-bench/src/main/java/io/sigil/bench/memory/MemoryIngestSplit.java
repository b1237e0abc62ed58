package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where ingest time goes, measured batch by batch in one run: the encoder's batched time, then the store's
 * indexing and durable commit of the same batch with those vectors. On a machine shared with other work the
 * ratio of the two is far steadier than two separately timed benchmarks. Indexing overhead = index / encode.
 *
 * <p>Run: {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.memory.MemoryIngestSplit 64 256}
 */
public final class MemoryIngestSplit {
    private static final int ITEMS = 2560;

    private MemoryIngestSplit() { }

    public static void main(String[] args) throws IOException {
        List<String> texts = SyntheticCorpus.pool().corpus().stream().map(d -> d.text()).toList();
        try (Embedder embedder = OnnxEmbedder.miniLmQuantized()) {
            embedder.embed(texts.subList(0, 64));
            for (String arg : args.length == 0 ? new String[] {"64", "256"} : args) {
                int batch = Integer.parseInt(arg);
                Path dir = Files.createTempDirectory("sigil-ingest-split");
                long encode = 0, index = 0, id = 0;
                try (var store = LuceneMemoryStore.open(dir, embedder)) {
                    for (int i = 0; i + batch <= ITEMS; i += batch) {
                        List<String> b = texts.subList(i % (texts.size() - batch), i % (texts.size() - batch) + batch);
                        long t0 = System.nanoTime();
                        List<float[]> vectors = embedder.embed(b);
                        long t1 = System.nanoTime();
                        var items = new ArrayList<MemoryItem>(batch);
                        for (String t : b) items.add(new MemoryItem("i" + id++, null, t, "general", 1, Map.of(), SyntheticCorpus.SCOPE, null));
                        store.putItems(items, vectors);
                        encode += t1 - t0;
                        index += System.nanoTime() - t1;
                    }
                } finally {
                    try (Stream<Path> walk = Files.walk(dir)) {
                        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                    }
                }
                System.out.printf("batch=%d items=%d encoder=%.0f items/s store(encode+index+commit)=%.0f items/s "
                                + "indexing overhead=%.1f%%%n", batch, id, id / (encode / 1e9), id / ((encode + index) / 1e9),
                        100.0 * index / encode);
            }
        }
        System.exit(0);
    }
}
