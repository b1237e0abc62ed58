package io.sigil.postgres;

import io.sigil.errors.MemoryError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory of this process's own under {@code <parent>} for its search index over shared memory, kept after the
 * process stops so that the next start can reuse it. Several processes may share {@code memory.data_dir}: each
 * holds a lock on the directory it uses. Opening takes the unlocked directory of the same {@link Identity} that has
 * applied the most changes (or a new one) and deletes the unlocked ones that are unfinished or of another model of
 * the same database; directories of other databases are left to them.
 *
 * <p>{@code projection.properties} records the identity and the change-log position the index holds everything
 * up to. It is replaced atomically (write, fsync, rename) and only after the index made those changes durable, so
 * after a crash it may be behind the index (changes are re-applied, which is idempotent) but never ahead of it.
 * A directory without it is unfinished (a rebuild was cut short) and is never reused.
 */
final class LocalIndexDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalIndexDirectory.class);
    private static final String LOCK = "owner.lock";
    private static final String META = "projection.properties";

    /** Whose index a directory holds: the database ({@code memory_change_log_state.database_id}) and the model. */
    record Identity(String databaseId, String model, int dimension) {
        boolean sameDatabase(Properties p) { return databaseId.equals(p.getProperty("database_id")); }

        boolean matches(Properties p) {
            return sameDatabase(p) && model.equals(p.getProperty("embedding_model"))
                    && Integer.toString(dimension).equals(p.getProperty("embedding_dimension"));
        }
    }

    private final Path dir;
    private final Identity identity;
    private final FileChannel channel;
    private final FileLock lock;
    private final long recorded;

    private LocalIndexDirectory(Path dir, Identity identity, FileChannel channel, FileLock lock, long recorded) {
        this.dir = dir;
        this.identity = identity;
        this.channel = channel;
        this.lock = lock;
        this.recorded = recorded;
    }

    /** The best reusable directory of {@code identity} under {@code parent}, or a new empty one. */
    static LocalIndexDirectory acquire(Path parent, Identity identity) {
        try {
            Files.createDirectories(parent);
            LocalIndexDirectory best = null;
            for (Path child : children(parent)) {
                LocalIndexDirectory candidate = tryTake(child, identity);
                if (candidate == null) continue;
                if (best == null || candidate.recorded > best.recorded) {
                    if (best != null) best.release();
                    best = candidate;
                } else {
                    candidate.release();
                }
            }
            if (best != null) return best;
            Path dir = parent.resolve(UUID.randomUUID().toString());
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new LocalIndexDirectory(dir, identity, channel, channel.lock(), -1);
        } catch (IOException e) {
            throw new MemoryError("Cannot create this process's memory index under " + parent + ": " + e.getMessage(),
                    "check that memory.data_dir is writable and has free space", Map.of("dir", parent.toString()), true, e);
        }
    }

    private static List<Path> children(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return new ArrayList<>(s.filter(Files::isDirectory).sorted().toList());
        }
    }

    /**
     * Locks {@code child} when no live process holds it: returns it when it is a finished index of {@code identity},
     * deletes it when it is unfinished or of another model of this database, leaves it otherwise.
     */
    private static LocalIndexDirectory tryTake(Path child, Identity identity) throws IOException {
        Path lockFile = child.resolve(LOCK);
        if (!Files.exists(lockFile)) return null;
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null; // held in this JVM
        }
        if (held == null) {
            channel.close();
            return null;
        }
        Optional<Properties> meta = readMeta(child);
        if (meta.isPresent() && identity.matches(meta.get())) {
            long position = Long.parseLong(meta.get().getProperty("position", "-1"));
            if (position >= 0) return new LocalIndexDirectory(child, identity, channel, held, position);
        }
        held.release();
        channel.close();
        if (meta.isEmpty() || identity.sameDatabase(meta.get())) {
            log.info("deleting the memory index {}: {}", child, meta.isEmpty() ? "unfinished" : "built with another model");
            deleteTree(child);
        }
        return null;
    }

    private static Optional<Properties> readMeta(Path dir) {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try (Reader r = Files.newBufferedReader(file)) {
            var p = new Properties();
            p.load(r);
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The index itself goes here (next to the lock file). */
    Path indexDir() { return dir.resolve("index"); }

    /** The change-log position the reused index holds everything up to; -1 for a new directory. */
    long recordedPosition() { return recorded; }

    /** Empties the directory for a rebuild (the lock stays): until the next {@link #record} it is unfinished. */
    void wipe() {
        try {
            Files.deleteIfExists(dir.resolve(META));
            if (Files.exists(indexDir())) deleteTree(indexDir());
        } catch (IOException e) {
            throw new MemoryError("Cannot empty the memory index " + dir + ": " + e.getMessage(),
                    "check that memory.data_dir is writable", Map.of("dir", dir.toString()), true, e);
        }
    }

    /** Records that the index holds every change up to {@code position} (call only once they are durable in it). */
    void record(long position) {
        var p = new Properties();
        p.setProperty("database_id", identity.databaseId());
        p.setProperty("embedding_model", identity.model());
        p.setProperty("embedding_dimension", Integer.toString(identity.dimension()));
        p.setProperty("position", Long.toString(position));
        Path tmp = dir.resolve(META + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "Sigil memory projection: the change-log position this index holds");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself
            }
        } catch (IOException e) {
            throw new MemoryError("Cannot record the position of the memory index " + dir + ": " + e.getMessage(),
                    "check that memory.data_dir is writable and has free space", Map.of("dir", dir.toString()), true, e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", root, e.toString());
        }
    }

    private void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("could not release {}: {}", dir, e.toString());
        }
    }

    /** Releases the directory and keeps it for the next start. */
    @Override
    public void close() { release(); }
}
