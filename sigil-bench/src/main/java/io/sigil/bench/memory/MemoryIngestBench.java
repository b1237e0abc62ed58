package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * Ingest throughput (items/s) with real embeddings: {@code store} adds a batch of {@value #BATCH} items (embed +
 * index + durable commit); {@code encoderOnly} is the baseline, the same batch through the encoder alone. The
 * indexing overhead is {@code encoderOnly / store - 1}.
 *
 * <p>Run: {@code java -jar sigil-bench/target/benchmarks.jar MemoryIngestBench -f 1 -wi 2 -i 3 -w 1s -r 2s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MemoryIngestBench {
    static final int BATCH = 64;

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
        var out = new ArrayList<String>(BATCH);
        for (int i = 0; i < BATCH; i++) out.add(texts.get(next++ % texts.size()));
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void store() {
        var items = new ArrayList<MemoryItem>(BATCH);
        for (String t : batch()) {
            items.add(new MemoryItem("i" + id++, null, t, "general", 1.0, Map.of(), SyntheticCorpus.SCOPE, null));
        }
        store.putItems(items);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<float[]> encoderOnly() { return embedder.embed(batch()); }
}
