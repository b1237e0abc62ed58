package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An append-only copy of every resource, one JSON line each. The index holds the same resources; this file is what
 * a rebuild starts from when the index itself is lost or corrupted. The indexer appends while applying a write and
 * forces the file before each index commit (until then the write-ahead log holds the resource), so a replay after a
 * crash may append a resource twice: readers keep the last copy of an id.
 */
final class ResourceJournal implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;

    ResourceJournal(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    synchronized void append(Resource resource) throws IOException {
        var line = ByteBuffer.wrap((MemoryJson.write(resource) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) channel.write(line);
    }

    synchronized void force() throws IOException { channel.force(false); }

    /** Every complete line; a torn last line (a crash mid-append) is skipped. Later copies of an id win. */
    static List<Resource> readAll(Path file) {
        if (!Files.exists(file)) return List.of();
        try {
            var byId = new java.util.LinkedHashMap<String, Resource>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) continue;
                try {
                    Resource r = MemoryJson.read(line, Resource.class);
                    byId.put(r.id(), r);
                } catch (RuntimeException torn) {
                    // Only the last line can be torn by a crash; anything unreadable is skipped, not fatal.
                }
            }
            return new ArrayList<>(byId.values());
        } catch (IOException e) {
            throw new MemoryError("Cannot read the resource journal " + file + ": " + e.getMessage(),
                    "check the file's permissions", Map.of("file", file.toString()), false, e);
        }
    }

    Path file() { return file; }

    @Override
    public void close() throws IOException { channel.close(); }
}
