package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.errors.StorageFullError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The write path of the store: a write is appended to the {@link WriteAheadLog}, handed to the
 * {@link BackgroundIndexer} and returns once the log is forced to disk (one group-committed fsync shared by
 * concurrent writers). Also says why writes cannot be taken now, for /health.
 */
final class LoggedWrites {
    /** Below this much free space on its device, memory reports that it cannot take writes (a write log segment). */
    static final long LOW_SPACE_BYTES = 1L << 20;

    private final Path dataDir;
    private final WriteAheadLog log;
    private final BackgroundIndexer indexer;
    /** Log order and submission order must agree: appends and submits happen together under this lock. */
    private final Object writeOrder = new Object();
    /** Set while the write-ahead log refuses appends (a full disk), cleared by the next one that succeeds. */
    private volatile String logProblem;

    LoggedWrites(Path dataDir, WriteAheadLog log, BackgroundIndexer indexer) {
        this.dataDir = dataDir;
        this.log = log;
        this.indexer = indexer;
    }

    /** Logs a write and returns once it is on disk; the indexer makes it searchable shortly after. */
    void write(IndexOp op) {
        byte[] payload = op.encode();
        try {
            long seq;
            synchronized (writeOrder) {
                try {
                    seq = log.append(payload);
                } catch (StorageFullError full) {
                    logProblem = "no space left on the device for the memory write-ahead log in " + dataDir;
                    throw full;
                }
                logProblem = null;
                indexer.submit(seq, op);
            }
            log.sync(seq);
        } catch (IOException e) {
            throw new MemoryError("Cannot write to the memory log in " + dataDir + ": " + e.getMessage(),
                    "check free disk space and permissions", Map.of("dir", dataDir.toString()), true, e);
        }
    }

    /** Why writes cannot be indexed now (a full disk, the embedder failing), empty while they can. */
    Optional<String> problem() {
        String refused = logProblem;
        if (refused != null) return Optional.of(refused);
        Optional<String> indexing = indexer.problem();
        if (indexing.isPresent()) return indexing;
        // Between a refused write and the next one the log and the indexer may both look fine (a retry that fit into
        // space a failed flush gave back): a device this close to full refuses the next write, so say so now.
        try {
            long usable = Files.getFileStore(dataDir).getUsableSpace();
            if (usable < LOW_SPACE_BYTES) {
                return Optional.of("no space left on the device of the memory index in " + dataDir + " (" + (usable >> 10)
                        + " KiB free)");
            }
        } catch (IOException e) {
            return Optional.of("cannot read the free space of " + dataDir + ": " + e.getMessage());
        }
        return Optional.empty();
    }
}
