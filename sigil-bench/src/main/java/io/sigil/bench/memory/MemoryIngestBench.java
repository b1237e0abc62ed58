package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Ingest time per batch with real embeddings: {@code store} adds a batch of {@code batch} items and waits until
 * they are searchable (log, embed, index, refresh); {@code encoderOnly} is the baseline, the same batch through the encoder alone. Items/s is
 * {@code batch / time}; the indexing overhead is {@code store / encoderOnly - 1}.
 *
 * <p>Run: {@code java -jar sigil-bench/target/benchmarks.jar MemoryIngestBench -f 1 -wi 2 -i 3 -w 1s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MemoryIngestBench {
    @Param({"64", "256"})
    public int batch;

    private Path dir;
    private Embedder embedder;
    private LuceneMemoryStore store;
    private List<String> texts;
    private int next;
    private long id;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("sigil-memory-ingest");
        embedder = OnnxEmbedder.miniLmQuantized();
        store = LuceneMemoryStore.open(dir, embedder);
        texts = SyntheticCorpus.pool().corpus().stream().map(d -> d.text()).toList();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        embedder.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private List<String> batch() {
        var out = new ArrayList<String>(batch);
        for (int i = 0; i < batch; i++) out.add(texts.get(next++ % texts.size()));
        return out;
    }

    @Benchmark
    public void store() {
        var items = new ArrayList<MemoryItem>(batch);
        for (String t : batch()) {
            items.add(new MemoryItem("i" + id++, null, t, "general", 1.0, Map.of(), SyntheticCorpus.SCOPE, null));
        }
        store.putItems(items);
        store.flush(); // putItems returns once logged; the work measured is embedding and indexing
    }

    @Benchmark
    public List<float[]> encoderOnly() { return embedder.embed(batch()); }
}
