package io.sigil.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.backup.StateImporter.PartResult;
import io.sigil.errors.InvalidInputError;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a backup's memory into a memory store ({@link StateImporter}'s memory part), safe to re-run: resources and
 * items already there (equal records) are skipped. Items take the backup's stored vectors when the backup's model
 * and dimension are the target's, so a copy or restore embeds nothing (at e5's ~150 texts/s, 100k items took
 * ~11 minutes); they are embedded again only when the models differ, or for an item the backup has no vector of,
 * and the result's note says so.
 */
final class MemoryImport {
    /** Records per lookup and items per write: one query and one PostgreSQL transaction, or one write-ahead log record. */
    private static final int BATCH = 1_000;

    private final BackupReader reader;
    private final Path backup;
    private final BackupReader.Report verified;

    MemoryImport(BackupReader reader, Path backup, BackupReader.Report verified) {
        this.reader = reader;
        this.backup = backup;
        this.verified = verified;
    }

    /** Puts the {@code memory} and {@code memory_vectors} results into {@code out}. */
    void load(MemoryStore target, Map<Part, PartResult> out) {
        long vectorLines = verified.parts().containsKey(Part.MEMORY_VECTORS) ? verified.parts().get(Part.MEMORY_VECTORS).records() : 0;
        if (target == null) {
            long[] n = {0};
            reader.lines(backup, Part.MEMORY, l -> n[0]++);
            out.put(Part.MEMORY, new PartResult(n[0], 0, 0, n[0] == 0 ? "" : "memory not loaded: no memory store for the target"));
            out.put(Part.MEMORY_VECTORS, new PartResult(vectorLines, 0, 0, ""));
            return;
        }
        List<Category> categories = new ArrayList<>();
        Batches batches;
        try (VectorCursor cursor = usableVectors(target.embedder()) ? new VectorCursor(backup.resolve(Part.MEMORY_VECTORS.file()),
                target.embedder().dimension()) : null) {
            batches = new Batches(target, cursor);
            reader.lines(backup, Part.MEMORY, line -> {
                JsonNode n = BackupFormat.parse(line, Part.MEMORY.file());
                String record = n.path("record").toString();
                switch (n.path("kind").asText()) {
                    case "resource" -> batches.add(MemoryJson.read(record, Resource.class));
                    case "item" -> batches.add(MemoryJson.read(record, MemoryItem.class));
                    default -> categories.add(MemoryJson.read(record, Category.class));
                }
            });
            batches.finish();
        }
        long[] counts = {batches.records + categories.size(), batches.written, batches.present};
        target.flush();
        for (Category c : categories) {
            Optional<Category> there = target.category(c.scope(), c.name());
            if (there.isPresent() && there.get().withItemCount(0).equals(c)) {
                counts[2]++;
            } else {
                target.putCategory(c);
                counts[1]++;
            }
        }
        target.flush();
        out.put(Part.MEMORY, new PartResult(counts[0], counts[1], counts[2], ""));
        out.put(Part.MEMORY_VECTORS, new PartResult(vectorLines, batches.copied, 0, vectorNote(target.embedder(), batches.embedded)));
    }

    /**
     * Resources and items checked and written {@link #BATCH} at a time as the backup is read: the target is asked
     * for a batch's records at once ({@link MemoryStore#itemsById}: one query on PostgreSQL, where one per item took
     * ~100k round trips for 100k items), and only records missing or different are written, items with the
     * backup's vectors where usable. Items are written while the rest is still being read, so a store that indexes
     * in the background (PostgreSQL's projection) starts early.
     */
    private static final class Batches {
        private final MemoryStore target;
        private final VectorCursor cursor;
        private final List<Resource> resources = new ArrayList<>();
        private final List<MemoryItem> items = new ArrayList<>();
        long records;
        long written;
        long present;
        long copied;
        long embedded;

        Batches(MemoryStore target, VectorCursor cursor) {
            this.target = target;
            this.cursor = cursor;
        }

        void add(Resource r) {
            resources.add(r);
            if (resources.size() >= BATCH) writeResources();
        }

        void add(MemoryItem i) {
            items.add(i);
            if (items.size() >= BATCH) writeItems();
        }

        void finish() {
            writeResources();
            writeItems();
        }

        private void writeResources() {
            if (resources.isEmpty()) return;
            Map<String, Resource> there = target.resourcesById(resources.stream().map(Resource::id).toList());
            for (Resource r : resources) {
                if (r.equals(there.get(r.id()))) {
                    present++;
                } else {
                    target.putResource(r);
                    written++;
                }
            }
            records += resources.size();
            resources.clear();
        }

        /** Writes the batch's items the target lacks, with the backup's vectors where usable. */
        private void writeItems() {
            if (items.isEmpty()) return;
            Map<String, MemoryItem> there = target.itemsById(items.stream().map(MemoryItem::id).toList());
            var withVector = new ArrayList<MemoryItem>();
            var vectors = new ArrayList<float[]>();
            var toEmbed = new ArrayList<MemoryItem>();
            for (MemoryItem item : items) {
                if (item.equals(there.get(item.id()))) {
                    present++;
                    continue;
                }
                float[] v = cursor == null ? null : cursor.find(item.id());
                if (v != null) {
                    withVector.add(item);
                    vectors.add(v);
                } else {
                    toEmbed.add(item);
                }
            }
            if (!withVector.isEmpty()) target.putItems(withVector, vectors);
            if (!toEmbed.isEmpty()) target.putItems(toEmbed);
            copied += withVector.size();
            embedded += toEmbed.size();
            written += withVector.size() + toEmbed.size();
            records += items.size();
            items.clear();
        }
    }

    private boolean usableVectors(Embedder embedder) {
        BackupReader.Listed v = verified.parts().get(Part.MEMORY_VECTORS);
        return v != null && embedder.model().equals(v.entry().path("embedding_model").asText())
                && embedder.dimension() == v.entry().path("dimension").asInt(-1);
    }

    private String vectorNote(Embedder embedder, long embedded) {
        if (embedded == 0) return "";
        BackupReader.Listed v = verified.parts().get(Part.MEMORY_VECTORS);
        if (v == null) {
            return embedded + " item(s) embedded with " + embedder.model() + ": the backup holds no vectors (taken by an older Sigil)";
        }
        if (!usableVectors(embedder)) {
            return embedded + " item(s) embedded again with " + embedder.model() + " (" + embedder.dimension()
                    + " dimensions): the backup's vectors are of " + v.entry().path("embedding_model").asText() + " ("
                    + v.entry().path("dimension").asInt() + ")";
        }
        return embedded + " item(s) without a stored vector embedded with " + embedder.model();
    }

    /**
     * Reads the vectors file alongside the items: both are in item-id order (the writer sorts them), so one pass
     * finds each item's vector without holding them all (100k items of 768 dimensions are 300 MB).
     */
    private static final class VectorCursor implements AutoCloseable {
        private final Path file;
        private final BufferedReader in;
        private final int dimension;
        private JsonNode current;
        private long lineNumber;

        VectorCursor(Path file, int dimension) {
            this.file = file;
            this.dimension = dimension;
            try {
                this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidInputError("cannot read " + file + ": " + e.getMessage(), "check the backup's permissions");
            }
        }

        /** The vector of {@code id}, or null when the file has none (an id out of order is embedded instead). */
        float[] find(String id) {
            try {
                while (true) {
                    if (current == null) {
                        String line = in.readLine();
                        if (line == null) return null;
                        lineNumber++;
                        current = BackupFormat.parse(line, file.getFileName() + ":" + lineNumber);
                    }
                    int order = current.path("id").asText().compareTo(id);
                    if (order > 0) return null;
                    JsonNode line = current;
                    current = null;
                    if (order == 0) {
                        float[] v = BackupFormat.vector(line, file.getFileName() + ":" + lineNumber);
                        return v.length == dimension ? v : null;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
