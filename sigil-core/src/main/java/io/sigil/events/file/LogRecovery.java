package io.sigil.events.file;

import io.sigil.errors.StateError;
import io.sigil.events.EventStoreCorruptedError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opening {@link FileEventStore}'s log: the index rebuilt from the record headers ({@link LogScan}) and the segments
 * opened. For writing, the data directory is locked, stale generations removed and a torn tail (an incomplete last
 * batch: never acknowledged) cut; a corrupted log is refused. A snapshot for reading takes no lock and leaves a torn
 * tail alone.
 */
final class LogRecovery {
    private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

    /** An opened log: the lock (null for a snapshot), its generation directory, its index and its segments. */
    record Opened(DirectoryLock lock, Path logDir, LogIndex index, List<Segment> segments) { }

    private LogRecovery() { }

    /** Locks the data directory (creating it if needed) and recovers its log for appending. */
    static Opened forWriting(FileEventStore.Config config) {
        DirectoryLock lock = null;
        try {
            lock = DirectoryLock.acquire(config.dataDir());
            Path logDir = StoreLayout.initialize(config.dataDir(), config.io());
            StoreLayout.removeStaleGenerations(config.dataDir(), logDir);
            LogScan.Result scan = LogScan.scan(logDir, config.io(), null);
            if (scan.corrupted()) throw new EventStoreCorruptedError(config.dataDir().toString(), scan.corruption());
            List<Segment> segments = new ArrayList<>();
            for (LogScan.SegmentState s : scan.segments()) {
                FileChannel ch = config.io().open(s.file().path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                long allocated = s.size();
                if (s.torn()) {
                    allocated = s.validEnd();
                    log.warn("event store {}: cutting torn tail of {} at offset {} ({} bytes never acknowledged)",
                            config.dataDir(), s.file().path().getFileName(), s.validEnd(), s.size() - s.validEnd());
                    ch.truncate(s.validEnd());
                    ch.force(true);
                }
                segments.add(new Segment(s.file().number(), s.file().path(), ch, s.validEnd(), allocated));
            }
            if (segments.isEmpty()) segments.add(Segment.create(logDir, 1, config.io()));
            return new Opened(lock, logDir, scan.index(), segments);
        } catch (IOException e) {
            FileEventStore.closeQuietly(lock);
            throw new StateError("cannot open the event store at " + config.dataDir() + ": " + e.getMessage(),
                    "check that the directory exists and is writable (SIGIL_STATE_DATA_DIR)",
                    Map.of("data_dir", config.dataDir().toString()), false, e);
        } catch (RuntimeException e) {
            FileEventStore.closeQuietly(lock);
            throw e;
        }
    }

    /** The log as it is now, for reading only; a missing directory is an empty log. */
    static Opened snapshot(FileEventStore.Config config) {
        Path dataDir = config.dataDir();
        try {
            Path logDir = StoreLayout.currentLogDir(dataDir).orElse(dataDir.resolve(StoreLayout.generationName(1)));
            LogScan.Result scan = LogScan.scan(logDir, config.io(), null);
            if (scan.corrupted()) throw new EventStoreCorruptedError(dataDir.toString(), scan.corruption());
            List<Segment> segments = new ArrayList<>();
            for (LogScan.SegmentState s : scan.segments()) {
                segments.add(new Segment(s.file().number(), s.file().path(),
                        config.io().open(s.file().path(), StandardOpenOption.READ), s.validEnd(), s.size()));
            }
            return new Opened(null, logDir, scan.index(), segments);
        } catch (IOException e) {
            throw new StateError("cannot read the event store at " + dataDir + ": " + e.getMessage(),
                    "check SIGIL_STATE_DATA_DIR and the directory's permissions");
        }
    }
}
