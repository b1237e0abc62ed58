package io.sigil.postgres;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.SharedEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two stores on one database, each with its own pool, LISTEN connection and projection (as two processes have):
 * what one writes or deletes, the other's searches show after the change log reaches it, in the writer's scope
 * only; and {@code sigil memory reindex}'s re-embedding after a model change.
 */
class PostgresMemoryProcessesIT {
    private static final Scope ALICE = Scope.user("alice");
    private static final Scope BOB = Scope.user("bob");
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private TestDatabase db;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        if (db != null) db.close();
    }

    private PostgresMemoryStore store(PostgresDatabase database, Embedder embedder) {
        var local = LuceneMemoryStore.open(dir.resolve(UUID.randomUUID().toString()), embedder, 0);
        var store = PostgresMemoryStore.open(database, embedder, local, () -> { });
        open.add(store);
        return store;
    }

    private PostgresDatabase secondPool() {
        var second = new PostgresDatabase(db.url(), TestDatabase.small());
        open.add(second);
        return second;
    }

    private static MemoryItem item(String id, String content, Scope scope) {
        return new MemoryItem(id, null, content, "facts", 0.9, Map.of(), scope, null);
    }

    @Test
    void writesAndDeletesOfOneProcessReachTheOthersSearchesInTheirScope() {
        db = TestDatabase.create("memproc");
        Embedder embedder = SharedEmbedder.get();
        PostgresMemoryStore a = store(db.database(), embedder);
        PostgresMemoryStore b = store(secondPool(), embedder);

        a.putItems(List.of(item("i1", "The office dog is called Biscuit", ALICE),
                item("i2", "Quarterly report is due on Friday", BOB)));
        b.awaitVisible(a.lastWrittenPosition(), Duration.ofSeconds(30));

        var hits = b.vectorSearch(embedder.embed("what is the name of the dog?"), SearchFilter.of(ALICE), 5);
        assertThat(hits).extracting(h -> h.item().id()).containsExactly("i1");
        assertThat(b.keywordSearch("dog Biscuit", SearchFilter.of(BOB), 5)).as("alice's item is not bob's").isEmpty();
        assertThat(b.categories(ALICE)).extracting(c -> c.itemCount()).containsExactly(1L);

        assertThat(a.deleteItem("i1")).isTrue();
        b.flush(); // waits for every change committed before it, from any process
        assertThat(b.keywordSearch("dog Biscuit", SearchFilter.of(ALICE), 5)).isEmpty();
        assertThat(b.item("i2")).map(MemoryItem::content).contains("Quarterly report is due on Friday");
    }

    @Test
    void itemsOfAnotherModelAreRefusedUntilReindexEmbedsThemAgain() {
        db = TestDatabase.create("memmodel");
        Embedder current = SharedEmbedder.get();
        Embedder previous = new Embedder() { // the same vectors under another name: what a model change leaves
            public String model() { return "previous-model"; }
            public int dimension() { return current.dimension(); }
            public List<float[]> embed(List<String> texts) { return current.embed(texts); }
        };
        try (PostgresMemoryStore old = PostgresMemoryStore.open(db.database(), previous,
                LuceneMemoryStore.open(dir.resolve("old"), previous, 0), () -> { })) {
            old.putItems(List.of(item("i1", "Invoices go to accounts@example.com", ALICE)));
        }

        assertThatThrownBy(() -> store(db.database(), current)).isInstanceOf(MemoryError.class)
                .hasMessageContaining("previous-model").satisfies(e -> assertThat(((MemoryError) e).hint())
                        .contains("sigil memory reindex"));

        var report = MemoryReembedder.run(db.database(), current, true);
        assertThat(report.reembedded()).isEqualTo(1);
        PostgresMemoryStore reopened = store(db.database(), current);
        assertThat(reopened.vectorSearch(current.embed("where do invoices go?"), SearchFilter.of(ALICE), 1))
                .extracting(h -> h.item().id()).containsExactly("i1");
    }
}
