package io.sigil.memory.embed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;

/**
 * The model files as files on disk, so that ONNX Runtime maps the graph from a path instead of being handed a copy
 * inflated into the heap on every start (about 0.3 s of CPU for e5's 34 MB). A graph that is a plain file on the
 * class path is used in place; one inside a jar is extracted once into the cache directory, named after its entry's
 * CRC-32 and size, so a different jar (another version, a repackaged distribution) never reuses a stale copy. The
 * copy is written under a temporary name, checked against the entry's CRC and renamed into place, so processes
 * starting together never read half a file. Where nothing can be written the caller reads the jar as before.
 */
final class ModelFiles {
    private static final Logger log = LoggerFactory.getLogger(ModelFiles.class);

    /** Overrides the cache directory; models go to its {@code models/} subdirectory. */
    static final String CACHE_DIR_VARIABLE = "SIGIL_CACHE_DIR";

    /** Where extracted copies live; null when there is none (no home directory). */
    private final Path directory;

    ModelFiles(Path directory) {
        this.directory = directory;
    }

    /**
     * The cache of the environment: {@code $SIGIL_CACHE_DIR/models}, else {@code $XDG_CACHE_HOME/sigil/models},
     * else {@code ~/.cache/sigil/models}.
     */
    static ModelFiles fromEnvironment(Map<String, String> env) {
        return new ModelFiles(cacheRoot(env).map(root -> root.resolve("models")).orElse(null));
    }

    static Optional<Path> cacheRoot(Map<String, String> env) {
        String own = env.get(CACHE_DIR_VARIABLE);
        if (own != null && !own.isBlank()) return Optional.of(Path.of(own.strip()).toAbsolutePath());
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg.strip()).isAbsolute()) return Optional.of(Path.of(xdg.strip(), "sigil"));
        String home = env.get("HOME");
        if (home == null || home.isBlank()) home = System.getProperty("user.home");
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home.strip(), ".cache", "sigil"));
    }

    Optional<Path> directory() { return Optional.ofNullable(directory); }

    /**
     * A file with the bytes of {@code resource}: the resource itself when it is a file, else the cached copy of its
     * jar entry (extracted now if missing). Empty when neither is possible; the reason is logged.
     */
    Optional<Path> file(ClassLoader loader, String resource) {
        URL url = loader.getResource(resource);
        if (url == null) throw missing(resource);
        try {
            if ("file".equals(url.getProtocol())) return Optional.of(Path.of(url.toURI()));
            if (directory == null || !(url.openConnection() instanceof JarURLConnection jar)) {
                log.debug("{} is read from {} on every start: no model cache directory", resource, url);
                return Optional.empty();
            }
            ZipEntry entry = jar.getJarEntry();
            if (entry == null || entry.getSize() < 0 || entry.getCrc() < 0) return Optional.empty();
            Path copy = directory.resolve(copyName(resource, entry.getCrc(), entry.getSize()));
            if (Files.isRegularFile(copy) && Files.size(copy) == entry.getSize()) return Optional.of(copy);
            extract(url, copy, entry);
            return Optional.of(copy);
        } catch (IOException | URISyntaxException | UncheckedIOException e) {
            log.debug("{} is read from {} on every start: cannot cache it in {}: {}", resource, url, directory, e.toString());
            return Optional.empty();
        }
    }

    /** The bytes of {@code resource}, for when {@link #file} has none. */
    static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw missing(resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model resource " + resource, e);
        }
    }

    /** {@code e5-small-v2-q.onnx} with CRC 0xb9151f53 and 34014367 bytes: {@code e5-small-v2-q-b9151f53-34014367.onnx}. */
    static String copyName(String resource, long crc, long size) {
        int dot = resource.lastIndexOf('.');
        String stem = dot < 0 ? resource : resource.substring(0, dot);
        String ext = dot < 0 ? "" : resource.substring(dot);
        return String.format(Locale.ROOT, "%s-%08x-%d%s", stem, crc, size, ext);
    }

    private void extract(URL url, Path copy, ZipEntry entry) throws IOException {
        Files.createDirectories(directory);
        Path part = Files.createTempFile(directory, copy.getFileName().toString(), ".part");
        try {
            var crc = new CRC32();
            long written;
            try (InputStream in = new CheckedInputStream(url.openStream(), crc); OutputStream out = Files.newOutputStream(part)) {
                written = in.transferTo(out);
            }
            if (written != entry.getSize() || crc.getValue() != entry.getCrc()) {
                throw new IOException("the copy of " + url + " does not match its jar entry (size " + written
                        + ", expected " + entry.getSize() + ")");
            }
            // Another process may have renamed its own identical copy into place meanwhile: either one will do.
            Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.info("extracted the model file {} to {} (once; later starts read it from there)", entry.getName(), copy);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static IllegalStateException missing(String resource) {
        return new IllegalStateException("the model resource " + resource + " is not on the class path (its "
                + "langchain4j-embeddings-* jar is missing)");
    }
}
