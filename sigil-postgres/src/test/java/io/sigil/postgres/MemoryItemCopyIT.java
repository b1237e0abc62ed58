package io.sigil.postgres;

import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bulk write path ({@link MemoryItemCopy}, batches of {@link MemoryItemCopy#MIN_ROWS} items or more) stores
 * exactly what the row-by-row path stores: text with every character COPY escapes, null sources, nanoseconds,
 * vectors bit for bit, and the last of two items with one id in a batch.
 */
class MemoryItemCopyIT {
    private static final Scope SCOPE = Scope.parse("user:bulk");
    @TempDir
    Path dir;
    private TestDatabase db;
    private PostgresMemoryStore store;
    private final HashEmbedder embedder = new HashEmbedder();

    @BeforeEach
    void open() {
        db = TestDatabase.create("pgmem_bulk");
        store = PostgresMemoryStore.open(db.database(), embedder, LuceneMemoryStore.open(dir.resolve("p"), embedder, 0), () -> { });
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    @Test
    void aBulkBatchReadsBackEqualToWhatWasWritten() {
        String awkward = "tab\there, newline\nthere, cr\r, backslash \\ and \\N, quote ' \" , unicode é 漢字 🙂";
        var items = new ArrayList<MemoryItem>();
        var vectors = new ArrayList<float[]>();
        Instant t0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
        for (int i = 0; i < MemoryItemCopy.MIN_ROWS * 3; i++) {
            items.add(new MemoryItem("bulk-" + i, i % 2 == 0 ? null : "res-" + i, awkward + " " + i, "general", (i % 97) / 97.0,
                    Map.of("k\tey", "va\\lue\n" + i), SCOPE, t0.plusNanos(i)));
            float[] v = new float[HashEmbedder.DIMENSION];
            v[i % v.length] = Float.intBitsToFloat(0x3f800001 + i); // not round decimals: bits must survive
            v[(i + 1) % v.length] = -1e-30f;
            vectors.add(v);
        }
        // The same id twice in one batch: the later one wins, as with one upsert after the other.
        items.add(new MemoryItem("bulk-5", null, "replaced", "general", 1.0, Map.of(), SCOPE, t0));
        vectors.add(vectors.get(7).clone());

        store.putItems(items, vectors);
        store.flush();

        for (int i = 0; i < MemoryItemCopy.MIN_ROWS * 3; i++) {
            if (i == 5) continue;
            assertThat(store.item("bulk-" + i)).contains(items.get(i));
        }
        assertThat(store.item("bulk-5")).contains(items.getLast());
        Map<String, float[]> stored = store.storedVectors(List.of("bulk-0", "bulk-100", "bulk-5"));
        assertThat(stored.get("bulk-0")).containsExactly(vectors.get(0));
        assertThat(stored.get("bulk-100")).containsExactly(vectors.get(100));
        assertThat(stored.get("bulk-5")).containsExactly(vectors.get(7));
        assertThat(store.allItems()).hasSize(MemoryItemCopy.MIN_ROWS * 3);
        assertThat(store.keywordSearch("replaced", io.sigil.memory.SearchFilter.of(SCOPE), 5))
                .extracting(h -> h.item().id()).containsExactly("bulk-5");

        // A second bulk batch in another transaction upserts over the first.
        var again = items.subList(0, MemoryItemCopy.MIN_ROWS).stream()
                .map(i -> new MemoryItem(i.id(), i.sourceResourceId(), i.content() + " v2", i.category(), i.confidence(),
                        i.metadata(), i.scope(), i.createdAt())).toList();
        store.putItems(again, vectors.subList(0, MemoryItemCopy.MIN_ROWS));
        store.flush();
        assertThat(store.item("bulk-0").orElseThrow().content()).endsWith(" v2");
        assertThat(store.allItems()).hasSize(MemoryItemCopy.MIN_ROWS * 3);
    }
}
