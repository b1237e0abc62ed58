package io.sigil.bench.memory;

import io.sigil.config.Settings;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.embed.OnnxEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.RetrievalMode;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.postgres.DatabaseUrl;
import io.sigil.postgres.PostgresDatabase;
import io.sigil.postgres.PostgresMemoryStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Memory on PostgreSQL with a Lucene projection per process: two stores on one database, each with its own pool,
 * LISTEN connection and projection directory (two processes, in one JVM so that one clock times both).
 * <ol>
 *   <li>load: store A writes {@code items} synthetic items ({@link SyntheticCorpus}, vectors precomputed) into
 *       PostgreSQL; A's projection follows them;</li>
 *   <li>open: store B opens, building its projection from the database (a first start), then is restarted three
 *       times after A wrote 100 changes, reusing its projection directory and catching up; then once more with
 *       the directory deleted (a rebuild again);</li>
 *   <li>search: rag recall (query embedding, BM25, HNSW, fusion) through B, p50/p95/p99, next to the query
 *       embedding alone and the same search on B's projection directly (the adapter's own cost);</li>
 *   <li>lag: A writes one item, B waits until its projection shows it; time from A's acknowledgement to B's
 *       visibility, p50/p95/p99.</li>
 * </ol>
 *
 * <pre>java -Xmx3g -cp sigil-bench/target/benchmarks.jar io.sigil.bench.memory.PostgresMemoryBench [--quick] [items] [searches] [lag samples]</pre>
 *
 * {@code --quick} leaves out the restarts of step 2 (B opens once, a first start), which is what the goal figures
 * (search p95 at 100k items, projection lag) need. Needs PostgreSQL on localhost:5432 (user postgres, trust;
 * -Dsigil.bench.pg=jdbc:postgresql://host:port/); works in a database of its own, dropped at the end.
 */
public final class PostgresMemoryBench {
    private static final String SERVER = System.getProperty("sigil.bench.pg", "jdbc:postgresql://localhost:5432/");

    private PostgresMemoryBench() { }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        if (quick) args = Arrays.copyOfRange(args, 1, args.length);
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int lagSamples = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        String name = "sigil_bench_pgmem_" + UUID.randomUUID().toString().substring(0, 8);
        admin("CREATE DATABASE " + name);
        Path tmp = Files.createTempDirectory("sigil-pg-memory-bench");
        var settings = new Settings.Database(8, 4, Duration.ofSeconds(30), Duration.ofSeconds(1800), true, "disable", null);
        var url = new DatabaseUrl(SERVER + name, "postgres", null);
        try (var dbA = new PostgresDatabase(url, settings); var dbB = new PostgresDatabase(url, settings);
             Embedder embedder = OnnxEmbedder.miniLmQuantized()) {
            dbA.migrate();
            // The corpus first (embedding its base texts is not the write path), then only the writes are timed.
            var batches = new ArrayList<Map.Entry<List<MemoryItem>, List<float[]>>>();
            SyntheticCorpus.generate(embedder, items, 7, (b, v) -> batches.add(Map.entry(List.copyOf(b), List.copyOf(v))));
            try (var a = PostgresMemoryStore.open(dbA, embedder, LuceneMemoryStore.open(tmp.resolve("a"), embedder), () -> { })) {
                long t = System.nanoTime();
                for (var b : batches) a.putItems(b.getKey(), b.getValue());
                double written = secs(t);
                batches.clear();
                a.flush();
                System.out.printf(Locale.ROOT, "load: %,d items written to PostgreSQL in %.1f s (%,.0f items/s), indexed by A's"
                        + " projection %.1f s later (%.1f s in all)%n", items, written, items / written, secs(t) - written, secs(t));

                Path projections = tmp.resolve("projections");
                double firstRebuild = openAndClose(dbB, embedder, projections, "rebuilt");
                var reuse = new ArrayList<Double>();
                for (int round = 0; round < (quick ? 0 : 3); round++) {
                    writeWhileClosed(a, embedder, round);
                    reuse.add(openAndClose(dbB, embedder, projections, "reused"));
                }
                double secondRebuild = Double.NaN;
                if (!quick) {
                    SyntheticCorpus.delete(projections); // no directory to reuse: the rebuild every start paid before
                    secondRebuild = openAndClose(dbB, embedder, projections, "rebuilt");
                }
                System.out.println();
                System.out.println("| B opens its projection of " + String.format(Locale.ROOT, "%,d", items)
                        + " items | seconds |");
                System.out.println("|---|---:|");
                System.out.printf(Locale.ROOT, "| rebuilt from PostgreSQL (first start) | %.2f |%n", firstRebuild);
                for (int i = 0; i < reuse.size(); i++) {
                    System.out.printf(Locale.ROOT, "| reused, caught up with 100 changes (restart %d) | %.2f |%n", i + 1, reuse.get(i));
                }
                if (!quick) System.out.printf(Locale.ROOT, "| rebuilt from PostgreSQL (directory deleted) | %.2f |%n", secondRebuild);

                try (var b = PostgresMemoryStore.open(dbB, embedder, projections, p -> LuceneMemoryStore.open(p, embedder))) {
                    ((LuceneMemoryStore) b.index()).awaitMerges();
                    ((LuceneMemoryStore) a.index()).awaitMerges(); // A's load may still be merging: not part of a search
                    search(b, embedder, searches);
                    lag(a, b, embedder, lagSamples);
                }
            }
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            SyntheticCorpus.delete(tmp);
        }
    }

    /** Opens B's projection under {@code projections} (as a restarted process does), returns the seconds it took. */
    private static double openAndClose(PostgresDatabase db, Embedder embedder, Path projections, String expected) {
        long t = System.nanoTime();
        try (var b = PostgresMemoryStore.open(db, embedder, projections, p -> LuceneMemoryStore.open(p, embedder))) {
            double took = secs(t);
            Object opened = b.status().get("index_opened");
            if (!expected.equals(opened)) throw new IllegalStateException("B's projection was " + opened + ", expected " + expected);
            System.out.printf(Locale.ROOT, "open: B's projection %s in %.2f s%n", opened, took);
            return took;
        }
    }

    /** 100 changes B has not seen: 90 new items and 10 deletions. */
    private static void writeWhileClosed(PostgresMemoryStore a, Embedder embedder, int round) {
        var batch = new ArrayList<MemoryItem>();
        for (int i = 0; i < 90; i++) {
            batch.add(new MemoryItem("restart-" + round + "-" + i, null, "a fact written while B was down " + round + " " + i,
                    "general", 1.0, Map.of(), SyntheticCorpus.SCOPE, Instant.now()));
        }
        a.putItems(batch, embedder.embed(batch.stream().map(MemoryItem::content).toList()));
        for (int i = 0; i < 10; i++) a.deleteItem("restart-" + round + "-" + i);
    }

    private static void search(PostgresMemoryStore b, Embedder embedder, int searches) throws Exception {
        var viaStore = Retriever.builder().store(b).retrievalK(10).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION).build();
        var direct = Retriever.builder().store(b.index()).retrievalK(10).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION).build();
        List<String> queries = SyntheticCorpus.pool().queries().stream().map(q -> q.query()).toList();
        for (int i = 0; i < 300; i++) { // JIT and page cache
            viaStore.recall(new RecallQuery(queries.get(i % queries.size()), SyntheticCorpus.SCOPE, null, 10, RetrievalMode.RAG));
        }
        // Interleaved: each query runs through the store, on the projection directly, and as an embedding alone.
        var store = new long[searches];
        var local = new long[searches];
        var embed = new long[searches];
        for (int i = 0; i < searches; i++) {
            String q = queries.get(i % queries.size());
            long t0 = System.nanoTime();
            viaStore.recall(new RecallQuery(q, SyntheticCorpus.SCOPE, null, 10, RetrievalMode.RAG));
            long t1 = System.nanoTime();
            direct.recall(new RecallQuery(q, SyntheticCorpus.SCOPE, null, 10, RetrievalMode.RAG));
            long t2 = System.nanoTime();
            embedder.embed(q + " " + i); // a text the embedding cache has not seen
            long t3 = System.nanoTime();
            store[i] = t1 - t0;
            local[i] = t2 - t1;
            embed[i] = t3 - t2;
        }
        System.out.println();
        System.out.println("| search (" + searches + " queries) | p50 ms | p95 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|");
        row("rag through PostgresMemoryStore", store);
        row("rag on the projection directly", local);
        row("query embedding alone", embed);
    }

    private static void lag(PostgresMemoryStore a, PostgresMemoryStore b, Embedder embedder, int samples) throws Exception {
        float[] vector = embedder.embed("lag probe");
        var lags = new long[samples];
        for (int i = 0; i < samples; i++) {
            var item = new MemoryItem("lag-" + i, null, "lag probe " + i, "general", 1.0, Map.of(), SyntheticCorpus.SCOPE,
                    Instant.now());
            a.putItems(List.of(item), List.of(vector));
            long acknowledged = System.nanoTime();
            b.awaitVisible(a.lastWrittenPosition(), Duration.ofSeconds(30));
            lags[i] = System.nanoTime() - acknowledged;
            Thread.sleep(20); // writes apart, as independent requests would be
        }
        System.out.println();
        System.out.println("| projection lag A -> B (" + samples + " writes) | p50 ms | p95 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|");
        row("A's write acknowledged -> searchable on B", lags);
    }

    private static void row(String label, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", label, ms(s, 0.50), ms(s, 0.95), ms(s, 0.99));
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private static double secs(long since) { return (System.nanoTime() - since) / 1e9; }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?sslmode=disable", "postgres", null);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
