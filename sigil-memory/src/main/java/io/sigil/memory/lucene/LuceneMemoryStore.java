package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import org.apache.lucene.search.SearcherManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

/**
 * The embedded memory store: one Lucene index under {@code <dataDir>/index} holding resources, items (BM25 text
 * with the English analyzer, an HNSW vector each) and categories ({@link IndexSchema}), plus
 * {@code <dataDir>/resources.jsonl}.
 *
 * <p>A write returns once it is forced to the {@link WriteAheadLog} (one group-committed fsync shared by
 * concurrent writers, {@link LoggedWrites}); the {@link BackgroundIndexer} then applies writes in batches (one
 * embedding call for the items of a batch, {@link IndexApplier}), refreshes the near-real-time
 * {@link SearcherManager} (searches see the writes from then on, within the refresh interval; {@link #flush()}
 * waits for it) and commits Lucene about once a second. Each commit records the last log sequence it holds, so
 * opening replays the log after it: a crash loses no write that returned. Each commit also records the embedding
 * model and dimension ({@link IndexCommits}); opening with another embedder fails with a hint to run
 * {@code sigil memory reindex}, because vectors of different models cannot be compared ({@link StoreOpener}).
 * Reads and searches are {@link StoreReads} and {@link StoreSearches}.
 */
public final class LuceneMemoryStore implements MemoryStore {
    /** Default delay before written items are searchable (memory.index_refresh_ms). */
    public static final long DEFAULT_REFRESH_MILLIS = 100;
    static final long COMMIT_MILLIS = 1000;

    private final Path dataDir;
    private final Embedder embedder;
    private final LiveIndex index;
    private final ResourceJournal journal;
    private final WriteAheadLog log;
    private final BackgroundIndexer indexer;
    private final LoggedWrites writes;
    private final StoreReads reads;
    private final StoreSearches searches;

    LuceneMemoryStore(StoreOpener.Opened opened, long refreshMillis, long commitMillis) {
        this.dataDir = opened.dataDir();
        this.embedder = opened.embedder();
        this.index = opened.index();
        this.journal = opened.journal();
        this.log = opened.log();
        this.reads = new StoreReads(index);
        this.searches = new StoreSearches(index);
        this.indexer = new BackgroundIndexer(new IndexApplier(index, reads, journal, log), embedder, refreshMillis,
                commitMillis, opened.committedSeq(), "sigil-memory-indexer");
        this.writes = new LoggedWrites(dataDir, log, indexer);
    }

    /** Opens (or creates) the store in {@code dataDir}; fails if the index was built with another model or is damaged. */
    public static LuceneMemoryStore open(Path dataDir, Embedder embedder) {
        return open(dataDir, embedder, DEFAULT_REFRESH_MILLIS);
    }

    /**
     * As {@link #open(Path, Embedder)}, with writes becoming searchable at most {@code refreshMillis} after they
     * return (0: as soon as the indexer gets to them).
     */
    public static LuceneMemoryStore open(Path dataDir, Embedder embedder, long refreshMillis) {
        return open(dataDir, embedder, refreshMillis, COMMIT_MILLIS);
    }

    static LuceneMemoryStore open(Path dataDir, Embedder embedder, long refreshMillis, long commitMillis) {
        LuceneReindexer.recoverInterruptedSwap(dataDir);
        return openAt(dataDir, embedder, indexDir(dataDir), journalFile(dataDir), refreshMillis, commitMillis);
    }

    static LuceneMemoryStore openAt(Path dataDir, Embedder embedder, Path indexDir, Path journalFile,
                                    long refreshMillis, long commitMillis) {
        return StoreOpener.open(dataDir, embedder, indexDir, journalFile, refreshMillis, commitMillis);
    }

    static Path indexDir(Path dataDir) { return dataDir.resolve("index"); }

    static Path journalFile(Path dataDir) { return dataDir.resolve("resources.jsonl"); }

    /** The write-ahead log lives inside the index directory, so reindexing's directory swap moves it along. */
    static Path logDir(Path indexDir) { return indexDir.resolve("wal"); }

    /** Reads the embedding model an existing index records, if any (for status and reindex messages). */
    public static Optional<String> recordedModel(Path dataDir) {
        return IndexCommits.recordedModel(indexDir(dataDir));
    }

    /** Re-applies the writes a crash left in the log only, and waits until they are searchable. */
    void replay(List<WriteAheadLog.Entry> entries) {
        if (entries.isEmpty()) return;
        for (var entry : entries) {
            IndexOp op;
            try {
                op = IndexOp.decode(entry.payload());
            } catch (RuntimeException e) {
                throw new MemoryError("The memory write-ahead log in " + dataDir + " has an unreadable record (sequence "
                        + entry.seq() + "): " + e.getMessage(), "it was written by another Sigil version or is damaged; "
                        + IndexCommits.REINDEX_HINT, Map.of("dir", dataDir.toString()), false, e);
            }
            indexer.submit(entry.seq(), op);
        }
        indexer.flush();
    }

    @Override
    public Embedder embedder() { return embedder; }

    /** Where this store keeps its files. */
    public Path dataDir() { return dataDir; }

    // ---------------------------------------------------------------- writes

    @Override
    public void putResource(Resource resource) { writes.write(new IndexOp.PutResource(resource)); }

    /** Logs the items; the indexer embeds them (one call per batch) before indexing. */
    @Override
    public void putItems(List<MemoryItem> items) {
        if (items.isEmpty()) return;
        writes.write(IndexOp.PutItems.of(items, null));
    }

    @Override
    public void putItems(List<MemoryItem> items, List<float[]> vectors) {
        if (items.size() != vectors.size()) throw new IllegalArgumentException("one vector per item");
        if (items.isEmpty()) return;
        for (float[] v : vectors) {
            if (v.length != embedder.dimension()) {
                throw new IllegalArgumentException("vector of " + v.length + " dimensions, index has " + embedder.dimension());
            }
        }
        writes.write(IndexOp.PutItems.of(items, vectors));
    }

    @Override
    public boolean deleteItem(String id) {
        flush(); // the answer must account for writes still on their way to the index
        if (item(id).isEmpty()) return false;
        writes.write(new IndexOp.DeleteItem(id));
        return true;
    }

    @Override
    public void putCategory(Category category) { writes.write(new IndexOp.PutCategory(category)); }

    /** Waits until every write that returned before this call is visible to searches. */
    @Override
    public void flush() { indexer.flush(); }

    /** Why writes cannot be indexed now (a full disk, the embedder failing), empty while they can: for /health. */
    @Override
    public Optional<String> writeProblem() { return writes.problem(); }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<Resource> resource(String id) { return reads.resource(id); }

    @Override
    public List<Resource> resources() { return reads.resources(); }

    @Override
    public Optional<MemoryItem> item(String id) { return reads.item(id); }

    @Override
    public Map<String, float[]> storedVectors(List<String> ids) { return reads.storedVectors(ids); }

    @Override
    public List<MemoryItem> items(SearchFilter filter, int limit) { return reads.items(filter, limit); }

    @Override
    public List<MemoryItem> allItems() { return reads.allItems(); }

    @Override
    public long countItems(SearchFilter filter, long sinceEpochMillis) { return reads.countItems(filter, sinceEpochMillis); }

    @Override
    public Map<String, Long> itemCountsByCategory() { return reads.itemCountsByCategory(); }

    @Override
    public Optional<Category> category(Scope scope, String name) { return reads.category(scope, name); }

    @Override
    public List<Category> categories(Scope scope) { return reads.categories(scope); }

    /** The number of documents of each kind (resources, items, categories), for status output. */
    public Map<String, Long> counts() { return reads.counts(); }

    // ---------------------------------------------------------------- searches

    @Override
    public List<Hit> keywordSearch(String query, SearchFilter filter, int k) {
        return searches.keywordSearch(query, filter, k);
    }

    @Override
    public List<Hit> vectorSearch(float[] queryVector, SearchFilter filter, int k) {
        return searches.vectorSearch(queryVector, filter, k);
    }

    /** The port's rag search without its redundant work (see {@link FusedSearch}); same ranking. */
    @Override
    public List<Hit> fusedSearch(String query, float[] queryVector, SearchFilter filter, int depth, int k,
                                 BinaryOperator<List<Hit>> fuse) {
        return searches.fusedSearch(query, () -> queryVector, false, filter, depth, k, fuse);
    }

    /** BM25 runs on another thread while the caller computes the vector (embeds the query); same ranking. */
    @Override
    public List<Hit> fusedSearch(String query, Supplier<float[]> queryVector, SearchFilter filter, int depth, int k,
                                 BinaryOperator<List<Hit>> fuse) {
        return searches.fusedSearch(query, queryVector, true, filter, depth, k, fuse);
    }

    /** Bytes held by the per-segment filter cache (tests and status). */
    long filterCacheBytes() { return searches.filterCacheBytes(); }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Waits until background segment merges have finished (bulk loads and benchmarks: a search that runs while
     * HNSW graphs are being merged competes with them for CPU and visits more, smaller segments).
     */
    public void awaitMerges() {
        flush();
        index.awaitMerges();
    }

    @Override
    public void close() {
        boolean drained = indexer.drainAndStop();
        try {
            // not drained: the log still holds what the index lacks; the next open replays it
            index.close(drained);
            log.close();
            journal.close();
        } catch (IOException e) {
            throw new MemoryError("Cannot close the memory index in " + dataDir + ": " + e.getMessage());
        }
    }

    /** Closes the index writer, dropping what it had not committed, as Lucene does after a tragic failure (tests). */
    void closeWriterAsAFailedWriteWould() { index.closeWriterAsAFailedWriteWould(); }

    /**
     * Stops as a crash would (tests): the indexer stops where it is, uncommitted index changes are dropped, and
     * only what the log holds survives.
     */
    void crash() {
        indexer.abandon();
        try {
            index.close(false);
            log.close();
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
