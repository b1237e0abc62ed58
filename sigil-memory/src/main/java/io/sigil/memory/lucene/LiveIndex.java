package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.errors.StateError;
import io.sigil.memory.Embedder;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The open Lucene index of a memory store: its directory, the writer and the near-real-time searchers over it.
 * The writer (and the searchers with it) is replaced when a failed write (a full disk) closed it, so readers go
 * through {@link #read}, which retries once on searchers that were replaced under it.
 */
final class LiveIndex {
    /** A read against one point-in-time searcher. */
    interface Read<T> { T apply(IndexSearcher searcher) throws IOException; }

    private final Path dataDir;
    private final Embedder embedder;
    private final Directory directory;
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;

    LiveIndex(Path dataDir, Embedder embedder, Directory directory, IndexWriter writer) throws IOException {
        this.dataDir = dataDir;
        this.embedder = embedder;
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, new SearcherFactory());
    }

    IndexWriter writer() { return writer; }

    <T> T read(Read<T> query) {
        try {
            try {
                return readOnce(query);
            } catch (AlreadyClosedException replaced) {
                return readOnce(query); // the searchers were replaced with the writer (reopenIfClosed): use the new ones
            }
        } catch (AlreadyClosedException e) {
            throw new StateError("The memory index in " + dataDir + " is reopening after a failed write: " + e.getMessage(),
                    "retry shortly; if the disk is full, free space (the index recovers by itself)",
                    Map.of("dir", dataDir.toString()), true, e);
        } catch (IOException e) {
            throw new MemoryError("Cannot read the memory index in " + dataDir + ": " + e.getMessage(),
                    "if this persists the index may be damaged; " + IndexCommits.REINDEX_HINT,
                    Map.of("dir", dataDir.toString()), true, e);
        }
    }

    private <T> T readOnce(Read<T> query) throws IOException {
        SearcherManager current = searchers;
        IndexSearcher searcher = current.acquire();
        try {
            return query.apply(searcher);
        } finally {
            current.release(searcher);
        }
    }

    /** Makes what the writer holds visible to the next reads. */
    void refresh() throws IOException { searchers.maybeRefreshBlocking(); }

    /** Commits everything the writer holds, recording that it contains the log up to {@code appliedSeq}. */
    void commit(long appliedSeq) throws IOException {
        writer.setLiveCommitData(IndexCommits.commitData(embedder, appliedSeq));
        writer.commit();
    }

    /**
     * Lucene closes its writer for good after some failed writes (a full disk during a flush or merge): opens a new
     * one on the last commit and new searchers over it, so the store recovers without a restart.
     *
     * @return the log sequence the last commit holds, or -1 when the writer was open
     */
    long reopenIfClosed() throws IOException {
        if (writer.isOpen()) return -1;
        IndexWriter fresh = new IndexWriter(directory, IndexCommits.writerConfig());
        long seq = IndexCommits.committedSeq(fresh);
        fresh.setLiveCommitData(IndexCommits.commitData(embedder, seq));
        SearcherManager old = searchers;
        searchers = new SearcherManager(fresh, new SearcherFactory());
        writer = fresh;
        try {
            old.close();
        } catch (IOException | RuntimeException ignored) {
            // the old searchers belong to a writer that is gone; the new ones serve reads
        }
        return seq;
    }

    /** Waits for background segment merges, then refreshes (bulk loads and benchmarks). */
    void awaitMerges() {
        if (writer.getConfig().getMergeScheduler() instanceof ConcurrentMergeScheduler cms) cms.sync();
        try {
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new MemoryError("Cannot refresh the memory index in " + dataDir + ": " + e.getMessage());
        }
    }

    /**
     * Closes searchers, writer and directory; {@code keepChanges} false drops what was not committed (the log still
     * holds it and the next open replays it).
     */
    void close(boolean keepChanges) throws IOException {
        searchers.close();
        if (keepChanges) writer.close();
        else writer.rollback();
        directory.close();
    }

    /** Closes the writer, dropping what it had not committed, as Lucene does after a tragic failure (tests). */
    void closeWriterAsAFailedWriteWould() {
        try {
            writer.rollback();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
