package io.sigil.events.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a data directory:
 * <pre>
 *  LOCK                 held by the one process that writes (its pid inside, for the error message of a second)
 *  CURRENT              the name of the live generation, replaced atomically (write, fsync, rename, fsync dir)
 *  events-000001/       a generation: segment-00000001.log, segment-00000002.log, ...
 * </pre>
 * A restore writes a new generation beside the live one and switches CURRENT, so a crash leaves either the
 * old or the new store, never a mix.
 */
final class StoreLayout {
    static final String LOCK = "LOCK";
    static final String CURRENT = "CURRENT";
    private static final String GENERATION_PREFIX = "events-";

    private StoreLayout() { }

    /** The live generation's directory, if the data directory has been initialized. */
    static Optional<Path> currentLogDir(Path dataDir) throws IOException {
        Path current = dataDir.resolve(CURRENT);
        if (!Files.exists(current)) return Optional.empty();
        String name = Files.readString(current, StandardCharsets.UTF_8).strip();
        if (!name.matches(GENERATION_PREFIX + "\\d{6}")) {
            throw new IOException(current + " names '" + name + "', which is not a generation directory");
        }
        return Optional.of(dataDir.resolve(name));
    }

    /** Creates the first generation if there is none; returns the live generation's directory. */
    static Path initialize(Path dataDir, FileIo io) throws IOException {
        Optional<Path> current = currentLogDir(dataDir);
        if (current.isPresent()) {
            Files.createDirectories(current.get());
            return current.get();
        }
        Path gen = dataDir.resolve(generationName(1));
        Files.createDirectories(gen);
        io.syncDirectory(dataDir);
        switchTo(dataDir, gen, io);
        return gen;
    }

    static String generationName(int n) { return GENERATION_PREFIX + "%06d".formatted(n); }

    /** The next unused generation directory name. */
    static Path nextGeneration(Path dataDir) throws IOException {
        int max = 0;
        try (Stream<Path> s = Files.list(dataDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.matches(GENERATION_PREFIX + "\\d{6}")) max = Math.max(max, Integer.parseInt(n.substring(7)));
            }
        }
        return dataDir.resolve(generationName(max + 1));
    }

    /** Atomically makes {@code gen} the live generation. */
    static void switchTo(Path dataDir, Path gen, FileIo io) throws IOException {
        Path tmp = dataDir.resolve(CURRENT + ".tmp");
        try (FileChannel ch = io.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((gen.getFileName() + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, dataDir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        io.syncDirectory(dataDir);
    }

    /** Deletes generations other than the live one (left by an interrupted or finished restore). */
    static void removeStaleGenerations(Path dataDir, Path live) throws IOException {
        try (Stream<Path> s = Files.list(dataDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith(GENERATION_PREFIX) && !p.equals(live)) deleteTree(p);
            }
        }
        Files.deleteIfExists(dataDir.resolve(CURRENT + ".tmp"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
