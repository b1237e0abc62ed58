package io.sigil.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.sigil.errors.StateError;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys in one JSON file ({@code <state dir>/api-keys.json}, mode 600 where POSIX permissions exist).
 *
 * <p>Writes take an OS file lock, re-read the file, and replace it atomically (temp file + rename), so concurrent
 * {@code sigil keys} commands never lose each other's changes and a reader never sees half a file. A running
 * server notices changes made by another process (a revocation from the CLI) on the next lookup: the file's
 * modification time and size are compared on every read, which costs one {@code stat}.
 */
public final class FileApiKeyStore implements ApiKeyStore {
    public static final String FILE_NAME = "api-keys.json";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final TypeReference<List<ApiKey>> LIST = new TypeReference<>() { };

    /**
     * OS file locks belong to the whole JVM (a second lock on the same file from this process throws), so writers
     * in one process first queue on this per-file monitor; the file lock then orders them against other processes.
     */
    private static final java.util.concurrent.ConcurrentMap<Path, Object> PROCESS_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private final Path lockFile;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    private record Snapshot(Object version, List<ApiKey> keys, Map<String, ApiKey> byHash) {
        static final Snapshot EMPTY = new Snapshot("absent", List.of(), Map.of());

        static Snapshot of(Object version, List<ApiKey> keys) {
            Map<String, ApiKey> byHash = new HashMap<>();
            keys.forEach(k -> byHash.put(k.keyHash(), k));
            return new Snapshot(version, List.copyOf(keys), Map.copyOf(byHash));
        }
    }

    public FileApiKeyStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        this.lockFile = dataDir.resolve(FILE_NAME + ".lock");
    }

    public Path file() { return file; }

    @Override
    public void add(ApiKey key) {
        update(keys -> {
            for (ApiKey k : keys) {
                if (k.id().equals(key.id()) || k.keyHash().equals(key.keyHash())) {
                    throw new StateError("An API key with this id or hash already exists: " + key.id());
                }
            }
            keys.add(key);
            return true;
        });
    }

    @Override
    public Optional<ApiKey> findByHash(String keyHash) {
        return Optional.ofNullable(current().byHash().get(keyHash));
    }

    @Override
    public List<ApiKey> list() {
        return current().keys();
    }

    @Override
    public boolean revoke(String id, Instant when) {
        return update(keys -> {
            for (int i = 0; i < keys.size(); i++) {
                ApiKey k = keys.get(i);
                if (k.id().equals(id)) {
                    if (!k.revoked()) keys.set(i, k.revokedAt(when));
                    return true;
                }
            }
            return false;
        });
    }

    @Override
    public void recordUse(Map<String, Instant> lastUsedById) {
        if (lastUsedById.isEmpty()) return;
        update(keys -> {
            boolean changed = false;
            for (int i = 0; i < keys.size(); i++) {
                ApiKey k = keys.get(i);
                ApiKey used = k.usedAt(lastUsedById.get(k.id()));
                if (used != k) {
                    keys.set(i, used);
                    changed = true;
                }
            }
            return changed;
        });
    }

    private interface Change {
        boolean apply(List<ApiKey> keys);
    }

    private boolean update(Change change) {
        synchronized (PROCESS_LOCKS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new Object())) {
            return updateLocked(change);
        }
    }

    private boolean updateLocked(Change change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                List<ApiKey> keys = new ArrayList<>(read().keys());
                boolean changed = change.apply(keys);
                if (changed) write(keys);
                snapshot = read();
                return changed;
            }
        } catch (IOException e) {
            // Written to a temporary file and renamed: on a full disk the old file stays whole and in use.
            if (io.sigil.errors.StorageFullError.isNoSpace(e)) throw new io.sigil.errors.StorageFullError("the API key change", e);
            throw new StateError("Cannot update the API key file " + file + ": " + e.getMessage(),
                    "Check that the state directory exists and is writable by this user.", Map.of("path", file.toString()),
                    true, e);
        }
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        Object version = versionOnDisk();
        if (version.equals(s.version())) return s;
        synchronized (this) {
            try {
                snapshot = read();
            } catch (IOException e) {
                throw new StateError("Cannot read the API key file " + file + ": " + e.getMessage(),
                        "Check the file's permissions, or restore it from a backup if it is corrupt.",
                        Map.of("path", file.toString()), true, e);
            }
            return snapshot;
        }
    }

    private Object versionOnDisk() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            return "unreadable";
        }
    }

    private Snapshot read() throws IOException {
        Object version = versionOnDisk();
        if ("absent".equals(version)) return Snapshot.EMPTY;
        return Snapshot.of(version, MAPPER.readValue(file.toFile(), LIST));
    }

    private void write(List<ApiKey> keys) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
        try {
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            }
            Files.write(tmp, MAPPER.writeValueAsBytes(keys), StandardOpenOption.TRUNCATE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
