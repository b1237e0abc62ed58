package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.index.LeafReaderContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Rebuilds the embedded index with the configured embedder: after a model change, or when the index is damaged.
 *
 * <p>If the old index can still be read, every resource, item and category summary is carried over and only
 * the vectors are recomputed. If it cannot, resources come from the journal and items are extracted again with
 * the given extractor (category summaries are then lost and rebuilt by the next consolidation). The new index is
 * built beside the old one and swapped in by renames, so a crash leaves one complete index.
 */
public final class LuceneReindexer {
    private static final int BATCH = 256;

    /** What a rebuild did. */
    public record Report(long resources, long items, long categories, boolean fromJournal, String model) { }

    private LuceneReindexer() { }

    public static Report rebuild(Path dataDir, Embedder embedder, Function<Resource, List<MemoryItem>> reExtract) {
        recoverInterruptedSwap(dataDir);
        Path index = LuceneMemoryStore.indexDir(dataDir);
        Path fresh = dataDir.resolve("index.rebuild");
        Path freshJournal = dataDir.resolve("resources.rebuild.jsonl");
        Contents old = readOld(index);
        boolean fromJournal = old == null;
        if (fromJournal) old = new Contents(ResourceJournal.readAll(LuceneMemoryStore.journalFile(dataDir)), null, List.of());
        try {
            deleteTree(fresh);
            Files.deleteIfExists(freshJournal);
            Files.createDirectories(fresh);
            long items = 0;
            try (var store = LuceneMemoryStore.openAt(dataDir, embedder, fresh, freshJournal,
                    LuceneMemoryStore.DEFAULT_REFRESH_MILLIS, LuceneMemoryStore.COMMIT_MILLIS)) {
                for (Resource r : old.resources()) store.putResource(r);
                List<MemoryItem> all = old.items() != null ? old.items()
                        : old.resources().stream().flatMap(r -> reExtract.apply(r).stream()).toList();
                for (int i = 0; i < all.size(); i += BATCH) {
                    store.putItems(all.subList(i, Math.min(all.size(), i + BATCH)));
                }
                items = all.size();
                for (Category c : old.categories()) store.putCategory(c);
            }
            Path retired = dataDir.resolve("index.old");
            deleteTree(retired);
            if (Files.exists(index)) Files.move(index, retired, StandardCopyOption.ATOMIC_MOVE);
            Files.move(fresh, index, StandardCopyOption.ATOMIC_MOVE);
            Files.move(freshJournal, LuceneMemoryStore.journalFile(dataDir), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            deleteTree(retired);
            return new Report(old.resources().size(), items, old.categories().size(), fromJournal, embedder.model());
        } catch (IOException e) {
            throw new MemoryError("Rebuilding the memory index in " + dataDir + " failed: " + e.getMessage(),
                    "check free disk space and permissions, then run `sigil memory reindex` again",
                    Map.of("dir", dataDir.toString()), true, e);
        }
    }

    /** A crash between the two renames leaves only index.old: put it back. */
    static void recoverInterruptedSwap(Path dataDir) {
        Path index = LuceneMemoryStore.indexDir(dataDir);
        Path retired = dataDir.resolve("index.old");
        try {
            if (!Files.exists(index) && Files.exists(retired)) Files.move(retired, index, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Contents(List<Resource> resources, List<MemoryItem> items, List<Category> categories) { }

    /** Everything stored in the old index, or null when it is missing or cannot be read. */
    private static Contents readOld(Path index) {
        if (!Files.isDirectory(index)) return null;
        try (Directory dir = FSDirectory.open(index)) {
            if (!DirectoryReader.indexExists(dir)) return null;
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                var resources = new ArrayList<Resource>();
                var items = new ArrayList<MemoryItem>();
                var categories = new ArrayList<Category>();
                for (LeafReaderContext leaf : reader.leaves()) {
                    StoredFields stored = leaf.reader().storedFields();
                    Bits live = leaf.reader().getLiveDocs();
                    for (int d = 0; d < leaf.reader().maxDoc(); d++) {
                        if (live != null && !live.get(d)) continue;
                        var doc = stored.document(d);
                        String json = doc.get("json");
                        var node = MemoryJson.MAPPER.readTree(json);
                        if (node.has("sourceResourceId")) items.add(MemoryJson.read(json, MemoryItem.class));
                        else if (node.has("type")) resources.add(MemoryJson.read(json, Resource.class));
                        else categories.add(MemoryJson.read(json, Category.class));
                    }
                }
                resources.sort(Comparator.comparing(Resource::createdAt));
                items.sort(Comparator.comparing(MemoryItem::createdAt));
                return new Contents(resources, items, categories);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
