package io.sigil.bench.memory;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.retrieval.KeywordText;
import io.sigil.memory.Scope;
import io.sigil.memory.eval.ConversationDevSet;
import io.sigil.memory.eval.EvalSet;
import io.sigil.memory.lucene.LuceneMemoryStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Index-scale corpora for benchmarks. Embedding 100k texts for real would take longer than the benchmark, so
 * only a pool of real conversation turns (the dev set generator's) is embedded with the store's model, and each
 * corpus item reuses a pool text with a few words appended and a vector that is the pool text's vector plus small
 * Gaussian noise, renormalised. Items therefore cluster the way real turns do (HNSW behaves as on real data),
 * BM25 sees real vocabulary, and queries are embedded for real at search time.
 */
final class SyntheticCorpus {
    static final Scope SCOPE = Scope.agent("bench");
    private static final String[] EXTRA = {"today", "again", "quickly", "next week", "as discussed", "for the team",
            "on Monday", "in the pilot", "with finance", "for the rollout"};

    /** The indexed text's form: v2 adds a preceding turn as keyword context (an older index is rebuilt). */
    private static final String TEXT_VERSION = "keyword-text-v2";

    private SyntheticCorpus() { }

    /** Real turns to draw texts (and queries) from. */
    static EvalSet pool() { return ConversationDevSet.generate(42, 60); }

    /**
     * Opens the store of an {@code items}-item corpus in {@code dir}, building it first unless a previous call
     * completed it there (a marker file records the size, seed and model). Building 1M items takes many minutes
     * on two cores; reusing the directory makes a re-run of a search benchmark take seconds to set up.
     */
    static LuceneMemoryStore openOrBuild(Path dir, Embedder embedder, int items, long seed) throws IOException {
        Path marker = dir.resolve("synthetic-corpus-complete");
        String id = items + " " + seed + " " + embedder.model() + " " + TEXT_VERSION;
        if (Files.exists(marker) && Files.readString(marker).equals(id)) return LuceneMemoryStore.open(dir, embedder);
        delete(dir);
        Files.createDirectories(dir);
        var store = LuceneMemoryStore.open(dir, embedder);
        fill(store, embedder, items, seed);
        store.awaitMerges(); // steady state: no graph merges running during a measurement
        Files.writeString(marker, id);
        return store;
    }

    /** Reads every file under {@code dir} once, so that it sits in the OS page cache. */
    static void readFiles(Path dir) throws IOException {
        var buffer = java.nio.ByteBuffer.allocateDirect(1 << 20);
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                try (var channel = java.nio.channels.FileChannel.open(p)) {
                    while (channel.read(buffer.clear()) > 0) {
                        // reading is the point
                    }
                } catch (java.nio.file.NoSuchFileException gone) {
                    // a log segment or merged-away file the store deleted during the walk: nothing to cache
                }
            }
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static void fill(io.sigil.memory.MemoryStore store, Embedder embedder, int items, long seed) {
        write(store, embedder, items, seed);
        store.flush();
    }

    /** {@link #fill} without the flush: returns once the store acknowledged every write (for timing the two apart). */
    static void write(io.sigil.memory.MemoryStore store, Embedder embedder, int items, long seed) {
        generate(embedder, items, seed, store::putItems);
    }

    /** The corpus {@link #fill} writes, handed to {@code sink} in its batches (lists reused: copy what is kept). */
    static void generate(Embedder embedder, int items, long seed,
                         java.util.function.BiConsumer<List<MemoryItem>, List<float[]>> sink) {
        EvalSet pool = pool();
        List<String> texts = pool.corpus().stream().map(EvalSet.Doc::text).toList();
        List<float[]> base = embedder.embed(texts);
        var rnd = new Random(seed);
        int batchSize = 20_000; // large batches: a 1M build is bounded by HNSW work, not by per-call overhead
        var batch = new ArrayList<MemoryItem>(batchSize);
        var vectors = new ArrayList<float[]>(batchSize);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String previous = null;
        for (int i = 0; i < items; i++) {
            int p = rnd.nextInt(texts.size());
            String text = texts.get(p) + " " + EXTRA[rnd.nextInt(EXTRA.length)];
            // As the eval ingester does for turns: the turn before in the keyword text (and the date, from createdAt).
            Map<String, String> metadata = previous == null ? Map.of()
                    : Map.of(KeywordText.CONTEXT, KeywordText.context(List.of(previous), 1, 300));
            previous = text;
            float[] v = base.get(p).clone();
            for (int d = 0; d < v.length; d++) v[d] += (float) (rnd.nextGaussian() * 0.02);
            batch.add(new MemoryItem("b" + i, null, text, "general", 1.0, metadata, SCOPE, t0.plusSeconds(i)));
            vectors.add(Embedder.normalize(v));
            if (batch.size() == batchSize) {
                sink.accept(batch, vectors);
                batch.clear();
                vectors.clear();
            }
        }
        if (!batch.isEmpty()) sink.accept(batch, vectors);
    }
}
