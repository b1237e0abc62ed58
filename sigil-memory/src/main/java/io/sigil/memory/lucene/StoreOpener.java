package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Embedder;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens a memory store: checks the index against the configured embedder, opens the writer and the write-ahead
 * log, replays what the log holds beyond the last commit, and turns every way this can fail into a
 * {@link MemoryError} that says what to do (another process holds the index, it is damaged, the model changed).
 */
final class StoreOpener {
    private static final long LOG_SEGMENT_BYTES = 64L << 20;

    /** The parts of an opened store. */
    record Opened(Path dataDir, Embedder embedder, LiveIndex index, ResourceJournal journal, WriteAheadLog log,
                  long committedSeq) { }

    private StoreOpener() { }

    static LuceneMemoryStore open(Path dataDir, Embedder embedder, Path indexDir, Path journalFile,
                                  long refreshMillis, long commitMillis) {
        Directory directory = null;
        IndexWriter writer = null;
        WriteAheadLog log = null;
        try {
            Files.createDirectories(indexDir);
            directory = FSDirectory.open(indexDir);
            if (DirectoryReader.indexExists(directory)) {
                IndexCommits.checkModel(indexDir, SegmentInfos.readLatestCommit(directory), embedder);
            }
            writer = new IndexWriter(directory, IndexCommits.writerConfig());
            long committedSeq = IndexCommits.committedSeq(writer);
            writer.setLiveCommitData(IndexCommits.commitData(embedder, committedSeq));
            if (!DirectoryReader.indexExists(directory)) writer.commit();
            log = WriteAheadLog.open(LuceneMemoryStore.logDir(indexDir), committedSeq, LOG_SEGMENT_BYTES);
            var opened = new Opened(dataDir, embedder, new LiveIndex(dataDir, embedder, directory, writer),
                    new ResourceJournal(journalFile), log, committedSeq);
            var store = new LuceneMemoryStore(opened, refreshMillis, commitMillis);
            try {
                store.replay(log.recovered());
            } catch (RuntimeException e) {
                store.crash(); // stop its indexer and release the index; the log stays as it is
                throw e;
            }
            return store;
        } catch (MemoryError e) {
            closeQuietly(log);
            closeQuietly(writer, directory);
            throw e;
        } catch (LockObtainFailedException e) {
            closeQuietly(writer, directory);
            throw new MemoryError("The memory index " + indexDir + " is in use by another Sigil process",
                    "stop the other process (one writer per data directory) or point memory.data_dir elsewhere",
                    Map.of("dir", indexDir.toString()), true, e);
        } catch (CorruptIndexException | IndexFormatTooOldException | IndexFormatTooNewException
                 | NoSuchFileException e) {
            closeQuietly(writer, directory);
            throw IndexCommits.corrupted(indexDir, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(log);
            closeQuietly(writer, directory);
            if (e.getCause() instanceof CorruptIndexException c) throw IndexCommits.corrupted(indexDir, c);
            throw new MemoryError("Cannot open the memory index " + indexDir + ": " + e.getMessage(),
                    "check that the directory is writable; if the index is damaged, " + IndexCommits.REINDEX_HINT,
                    Map.of("dir", indexDir.toString()), false, e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) closeable.close();
        } catch (Exception ignored) {
            // already failing: the first error is the one to report
        }
    }

    private static void closeQuietly(IndexWriter writer, Directory directory) {
        try {
            if (writer != null) writer.rollback();
        } catch (IOException | RuntimeException ignored) {
            // already failing: the first error is the one to report
        }
        try {
            if (directory != null) directory.close();
        } catch (IOException ignored) {
            // as above
        }
    }
}
