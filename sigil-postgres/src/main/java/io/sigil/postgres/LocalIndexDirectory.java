package io.sigil.postgres;

import io.sigil.errors.MemoryError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A directory of this process's own under {@code <parent>}, for its search index over shared memory: several
 * processes may share {@code memory.data_dir}, so each takes a fresh sub-directory and holds a lock on it. Opening
 * deletes the directories whose lock nobody holds (left by processes that crashed); closing deletes this one.
 */
final class LocalIndexDirectory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalIndexDirectory.class);
    private static final String LOCK = "owner.lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private LocalIndexDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    static LocalIndexDirectory create(Path parent) {
        try {
            Files.createDirectories(parent);
            sweep(parent);
            Path dir = parent.resolve(UUID.randomUUID().toString());
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new LocalIndexDirectory(dir, channel, channel.lock());
        } catch (IOException e) {
            throw new MemoryError("Cannot create this process's memory index under " + parent + ": " + e.getMessage(),
                    "check that memory.data_dir is writable and has free space", Map.of("dir", parent.toString()), true, e);
        }
    }

    /** The index itself goes here (next to the lock file). */
    Path indexDir() { return dir.resolve("index"); }

    private static void sweep(Path parent) throws IOException {
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                Path lockFile = child.resolve(LOCK);
                if (!Files.exists(lockFile)) continue;
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                    FileLock stale = ch.tryLock();
                    if (stale == null) continue; // another live process's
                    stale.release();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    continue; // held in this JVM
                }
                log.info("deleting the memory index {} left by a process that stopped", child);
                deleteTree(child);
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", root, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.warn("could not release {}: {}", dir, e.toString());
        }
        deleteTree(dir);
    }
}
