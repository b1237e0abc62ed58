package io.sigil.events.file;

import io.sigil.paths.BackupTargets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.NotFoundError;
import io.sigil.errors.StateError;
import io.sigil.events.EventCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Integrity check, backup and restore of the file store. All three work from the files, so verify and backup
 * run beside a server that holds the data directory (they never take its lock); restore takes the lock.
 *
 * <p>A backup directory holds {@code events/segment-*.log} and {@code MANIFEST.json}, written last, with the
 * size and SHA-256 of every file: a backup without a manifest was interrupted and is refused.
 */
public final class FileStoreMaintenance {
    public static final String MANIFEST = "MANIFEST.json";
    private static final String FORMAT = "sigil-backup";
    private static final int FORMAT_VERSION = 1;
    private static final String EVENTS_DIR = "events";

    private final FileIo io;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FileStoreMaintenance(FileIo io) { this.io = io; }

    public FileStoreMaintenance() { this(FileIo.DEFAULT); }

    /** What a backup holds. */
    public record BackupResult(Path directory, long lastPosition, long events, long sessions, List<Path> files,
                               long bytes) { }

    /** What a restore put in place. */
    public record RestoreResult(Path dataDir, Path generation, long lastPosition, long events, long sessions) { }

    // ---------------------------------------------------------------- verify

    /** Reads every record of the store, checksums and JSON included; never changes a file. */
    public VerifyReport verify(Path dataDir) {
        String where = dataDir.toAbsolutePath().normalize().toString();
        try {
            var current = StoreLayout.currentLogDir(dataDir);
            if (current.isEmpty()) {
                return new VerifyReport("events", where, 0, 0, 0, 0, List.of(),
                        List.of("no event store at " + where + " yet (nothing to check)"));
            }
            LogScan.Result scan = LogScan.scan(current.get(), io, new EventCodec());
            long events = scan.index().lastPosition();
            return new VerifyReport("events", where, scan.segments().size(), scan.records(), events,
                    scan.index().streamCount(), scan.corruption(), scan.tornTails());
        } catch (IOException e) {
            return new VerifyReport("events", where, 0, 0, 0, 0, List.of("cannot read the store: " + e.getMessage()),
                    List.of());
        }
    }

    // ---------------------------------------------------------------- backup

    /**
     * Copies the store, as of the last complete batch when the copy starts, into {@code target} (new or empty).
     * The source is synced first, so the copy holds only data that is durable in the store.
     */
    public BackupResult backup(Path dataDir, Path target) {
        BackupTargets.requireEmpty(target);
        try {
            Path logDir = StoreLayout.currentLogDir(dataDir).orElseThrow(() -> new NotFoundError(
                    "there is no event store at " + dataDir, "check SIGIL_STATE_DATA_DIR"));
            LogScan.Result scan = LogScan.scan(logDir, io, null);
            if (scan.corrupted()) {
                throw new StateError("refusing to back up a corrupted event store: " + scan.corruption().getFirst(),
                        "run 'sigil verify' and restore the last good backup");
            }
            Path eventsDir = target.resolve(EVENTS_DIR);
            Files.createDirectories(eventsDir);
            var files = new ArrayList<Map<String, Object>>();
            var paths = new ArrayList<Path>();
            long bytes = 0;
            for (LogScan.SegmentState s : scan.segments()) {
                Path to = eventsDir.resolve(s.file().path().getFileName());
                String sha;
                try (FileChannel in = io.open(s.file().path(), StandardOpenOption.READ)) {
                    in.force(false); // whatever we copy is on disk in the source as well
                    sha = copy(in, s.validEnd(), to);
                }
                var f = new LinkedHashMap<String, Object>();
                f.put("path", EVENTS_DIR + "/" + to.getFileName());
                f.put("size", s.validEnd());
                f.put("sha256", sha);
                files.add(f);
                paths.add(to);
                bytes += s.validEnd();
            }
            io.syncDirectory(eventsDir);
            ObjectNode manifest = json.createObjectNode();
            manifest.put("format", FORMAT);
            manifest.put("format_version", FORMAT_VERSION);
            manifest.put("created_at", Instant.now().toString());
            manifest.put("source", dataDir.toAbsolutePath().normalize().toString());
            ObjectNode ev = manifest.putObject("stores").putObject("events");
            ev.put("last_position", scan.index().lastPosition());
            ev.put("sessions", scan.index().streamCount());
            ev.put("records", scan.records());
            manifest.set("files", json.valueToTree(files));
            writeAtomically(target, MANIFEST, json.writeValueAsBytes(manifest));
            return new BackupResult(target, scan.index().lastPosition(), scan.index().lastPosition(),
                    scan.index().streamCount(), paths, bytes);
        } catch (IOException e) {
            throw new StateError("backup to " + target + " failed: " + e.getMessage(),
                    "check free space and permissions of the target; the partial backup has no manifest and will be refused");
        }
    }

    /** Copies the first {@code length} bytes, syncs the copy and returns the SHA-256 of what was copied. */
    private String copy(FileChannel in, long length, Path to) throws IOException {
        MessageDigest sha = sha256();
        try (FileChannel out = io.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long pos = 0;
            while (pos < length) {
                buf.clear().limit((int) Math.min(buf.capacity(), length - pos));
                int r = in.read(buf, pos);
                if (r < 0) throw new IOException(to.getFileName() + " is shorter than its valid length " + length);
                buf.flip();
                sha.update(buf.duplicate());
                while (buf.hasRemaining()) out.write(buf);
                pos += r;
            }
            out.force(true);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private void writeAtomically(Path dir, String name, byte[] content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = io.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        io.syncDirectory(dir);
    }

    // ---------------------------------------------------------------- restore

    /**
     * Replaces the store in {@code dataDir} with a backup: checks the manifest and every file's size and SHA-256,
     * copies the files into a new generation, verifies it as a store and switches to it atomically. Refused
     * while another process holds the data directory.
     */
    public RestoreResult restore(Path backup, Path dataDir) {
        List<ManifestFile> files = readManifest(backup);
        for (ManifestFile f : files) checkFile(backup, f);
        checkNoExtraFiles(backup, files);
        try (DirectoryLock lock = DirectoryLock.acquire(dataDir)) {
            Path gen = StoreLayout.nextGeneration(dataDir);
            Files.createDirectories(gen);
            try {
                for (ManifestFile f : files) {
                    Path from = backup.resolve(f.path());
                    try (FileChannel in = io.open(from, StandardOpenOption.READ)) {
                        String sha = copy(in, f.size(), gen.resolve(from.getFileName()));
                        if (!sha.equals(f.sha256())) {
                            throw new StateError(f.path() + " changed while it was being restored",
                                    "make sure nothing writes to the backup directory, then restore again");
                        }
                    }
                }
                io.syncDirectory(gen);
                io.syncDirectory(dataDir);
                LogScan.Result scan = LogScan.scan(gen, io, new EventCodec());
                if (scan.corrupted() || !scan.tornTails().isEmpty()) {
                    String finding = scan.corrupted() ? scan.corruption().getFirst() : scan.tornTails().getFirst();
                    throw new StateError("the backup in " + backup + " does not hold a consistent store: " + finding,
                            "use another backup");
                }
                StoreLayout.switchTo(dataDir, gen, io);
                StoreLayout.removeStaleGenerations(dataDir, gen);
                return new RestoreResult(dataDir, gen, scan.index().lastPosition(), scan.index().lastPosition(),
                        scan.index().streamCount());
            } catch (RuntimeException | IOException e) {
                if (!gen.equals(StoreLayout.currentLogDir(dataDir).orElse(null))) StoreLayout.deleteTree(gen);
                throw e;
            }
        } catch (IOException e) {
            throw new StateError("restore into " + dataDir + " failed: " + e.getMessage(),
                    "the store was left as it was; check space and permissions and restore again");
        }
    }

    private record ManifestFile(String path, long size, String sha256) { }

    private List<ManifestFile> readManifest(Path backup) {
        Path manifest = backup.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new InvalidInputError(backup + " is not a complete Sigil backup: " + MANIFEST + " is missing",
                    "a backup writes its manifest last; without one it was interrupted. Use another backup");
        }
        JsonNode m;
        try {
            m = json.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new InvalidInputError(manifest + " is not valid JSON: " + e.getMessage(), "use another backup");
        }
        if (!FORMAT.equals(m.path("format").asText()) || m.path("format_version").asInt() != FORMAT_VERSION) {
            throw new InvalidInputError(manifest + " is not a Sigil backup manifest of format version " + FORMAT_VERSION,
                    "restore it with the Sigil version that wrote it");
        }
        var out = new ArrayList<ManifestFile>();
        if (m.path("files") instanceof ArrayNode arr) {
            for (JsonNode f : arr) {
                String path = f.path("path").asText("");
                if (!path.matches(EVENTS_DIR + "/segment-\\d{8}\\.log")) {
                    throw new InvalidInputError(manifest + " lists an unexpected file '" + path + "'", "use another backup");
                }
                out.add(new ManifestFile(path, f.path("size").asLong(-1), f.path("sha256").asText("")));
            }
        }
        return out;
    }

    private void checkFile(Path backup, ManifestFile f) {
        Path p = backup.resolve(f.path());
        try {
            if (!Files.isRegularFile(p)) {
                throw new InvalidInputError("backup file " + f.path() + " is missing", "the backup is partial; use another one");
            }
            if (Files.size(p) != f.size()) {
                throw new InvalidInputError("backup file " + f.path() + " has " + Files.size(p) + " bytes, the manifest says "
                        + f.size(), "the backup is partial or damaged; use another one");
            }
            MessageDigest sha = sha256();
            try (FileChannel in = io.open(p, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                while (in.read(buf) > 0) {
                    sha.update(buf.flip());
                    buf.clear();
                }
            }
            if (!HexFormat.of().formatHex(sha.digest()).equals(f.sha256())) {
                throw new InvalidInputError("backup file " + f.path() + " does not match its SHA-256 in the manifest",
                        "the backup is damaged; use another one");
            }
        } catch (IOException e) {
            throw new InvalidInputError("cannot read backup file " + f.path() + ": " + e.getMessage(), "use another backup");
        }
    }

    private void checkNoExtraFiles(Path backup, List<ManifestFile> files) {
        var listed = files.stream().map(f -> backup.resolve(f.path()).normalize()).toList();
        try (Stream<Path> s = Files.list(backup.resolve(EVENTS_DIR))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!listed.contains(p.normalize())) {
                    throw new InvalidInputError("backup holds " + backup.relativize(p) + ", which its manifest does not list",
                            "the backup was changed after it was taken; use another one");
                }
            }
        } catch (IOException e) {
            throw new InvalidInputError("cannot list " + backup.resolve(EVENTS_DIR) + ": " + e.getMessage(),
                    "use another backup");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
