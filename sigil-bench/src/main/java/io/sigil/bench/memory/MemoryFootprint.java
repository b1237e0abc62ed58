package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.embed.OnnxEmbedder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Heap and disk per N items of the embedded store ({@link SyntheticCorpus}). Heap is the used heap after a full
 * GC with the store open and searched, minus the same with only the embedder loaded.
 *
 * <p>Run: {@code java -cp sigil-bench/target/benchmarks.jar io.sigil.bench.memory.MemoryFootprint 100000 [index dir]}.
 * With an index directory (as {@code MemorySearchBench -p indexDir} leaves it, e.g. {@code /tmp/x/items-1000000})
 * an index built before is reused and kept (build time then reads near 0); without, a temporary one is built.
 */
public final class MemoryFootprint {
    private MemoryFootprint() { }

    public static void main(String[] args) throws IOException {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        boolean keep = args.length > 1;
        Path dir = keep ? Path.of(args[1]) : Files.createTempDirectory("sigil-memory-footprint");
        try (Embedder embedder = OnnxEmbedder.miniLmQuantized()) {
            embedder.embed("warm up");
            long before = usedAfterGc();
            long start = System.nanoTime();
            long disk;
            long heap;
            // openOrBuild waits for merges: disk of the steady state, not of merged-away segments still on disk
            try (var store = SyntheticCorpus.openOrBuild(dir, embedder, items, 7)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                store.keywordSearch("budget", io.sigil.memory.SearchFilter.of(SyntheticCorpus.SCOPE), 10);
                store.vectorSearch(embedder.embed("budget"), io.sigil.memory.SearchFilter.of(SyntheticCorpus.SCOPE), 10);
                heap = usedAfterGc() - before;
                disk = size(dir);
                System.out.printf("items=%d build_s=%.1f disk_bytes=%d (%.1f MB, %.0f B/item) heap_bytes=%d (%.1f MB)%n",
                        items, seconds, disk, disk / 1e6, (double) disk / items, heap, heap / 1e6);
            }
        } finally {
            if (!keep) SyntheticCorpus.delete(dir);
        }
        System.exit(0);
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
