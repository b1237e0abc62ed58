package io.sigil.memory.lucene;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.MemoryStoreConformance;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.SharedEmbedder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneMemoryStoreTest extends MemoryStoreConformance {
    @TempDir Path dir;

    /** Commits only on close: whatever a crash test finds after reopening came from the write-ahead log. */
    private static final long NO_TIMED_COMMITS = 3_600_000;

    @Override
    protected MemoryStore openEmptyStore(Embedder embedder) {
        return LuceneMemoryStore.open(dir, embedder, LuceneMemoryStore.DEFAULT_REFRESH_MILLIS, NO_TIMED_COMMITS);
    }

    @Override
    protected MemoryStore reopen(MemoryStore old) {
        old.close();
        return LuceneMemoryStore.open(dir, old.embedder());
    }

    @Override
    protected MemoryStore crashAndReopen(MemoryStore old) {
        ((LuceneMemoryStore) old).crash();
        assertThat(committedLogSeq()).as("nothing reached a Lucene commit before the crash").isEqualTo(0);
        return LuceneMemoryStore.open(dir, old.embedder(), LuceneMemoryStore.DEFAULT_REFRESH_MILLIS, NO_TIMED_COMMITS);
    }

    private long committedLogSeq() {
        try (var d = org.apache.lucene.store.FSDirectory.open(LuceneMemoryStore.indexDir(dir))) {
            return Long.parseLong(org.apache.lucene.index.SegmentInfos.readLatestCommit(d).getUserData()
                    .get(IndexCommits.KEY_LOG_SEQ));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void anIndexWriterClosedByAFailedWriteIsReopenedAndLosesNothingWithoutARestart() {
        var lucene = (LuceneMemoryStore) store;
        lucene.putItems(List.of(item("a", "Acme prefers email", "general", ALICE, 0),
                item("b", "Globex prefers phone calls", "general", ALICE, 1)));
        lucene.putCategory(new Category("general", "General facts", "summary", 0, null, ALICE));
        lucene.flush(); // searchable, not committed (commits only on close here)

        lucene.closeWriterAsAFailedWriteWould(); // what Lucene does on a tragic event (e.g. a full disk mid-flush)
        assertThat(lucene.item("a")).as("searches still answer from the last refresh").isPresent();

        lucene.putItems(List.of(item("c", "Initech prefers letters", "general", ALICE, 2)));
        lucene.flush();

        assertThat(lucene.writeProblem()).isEmpty();
        assertThat(lucene.keywordSearch("prefers", SearchFilter.of(ALICE), 10)).extracting(h -> h.item().id())
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(lucene.category(ALICE, "general")).map(Category::content).contains("summary");
        store = reopen(store);
        assertThat(store.allItems()).extracting(MemoryItem::id).containsExactly("a", "b", "c");
    }

    @Test
    void closingCommitsTheLogPositionAndAReopenReplaysNothing() {
        store.putItems(List.of(item("a", "fact", "general", ALICE, 0)));
        store.putResource(new Resource("r1", ResourceType.FEEDBACK, "fact", Map.of(), null, ALICE, null));
        store.close();

        assertThat(committedLogSeq()).isEqualTo(2);
        store = LuceneMemoryStore.open(dir, SharedEmbedder.get());
        assertThat(store.item("a")).isPresent();
        store.putItems(List.of(item("b", "another fact", "general", ALICE, 1)));
        store = reopen(store);
        assertThat(committedLogSeq()).as("sequence numbers continue after a reopen").isEqualTo(3);
        assertThat(store.allItems()).extracting(MemoryItem::id).containsExactly("a", "b");
    }

    /** Same vectors, another name: enough to exercise the model check without loading a second model. */
    private static Embedder renamed(String name) {
        Embedder real = SharedEmbedder.get();
        return new Embedder() {
            public String model() { return name; }
            public int dimension() { return real.dimension(); }
            public List<float[]> embed(List<String> texts) { return real.embed(texts); }
        };
    }

    @Test
    void openingWithAnotherEmbeddingModelPointsToReindex() {
        store.putItems(List.of(item("a", "fact", "general", ALICE, 0)));
        store.close();

        assertThatThrownBy(() -> LuceneMemoryStore.open(dir, renamed("other-model")))
                .isInstanceOf(MemoryError.class)
                .hasMessageContaining("all-minilm-l6-v2-q").hasMessageContaining("other-model")
                .satisfies(e -> assertThat(((MemoryError) e).hint()).contains("sigil memory reindex"));
        store = LuceneMemoryStore.open(dir, SharedEmbedder.get());
    }

    @Test
    void reindexSwitchesModelsAndKeepsEverything() {
        store.putResource(new Resource("r1", ResourceType.CONVERSATION, "user: hi", Map.of(), null, ALICE, null));
        store.putItems(List.of(item("a", "Prefers email", "lead_preferences", ALICE, 0)));
        store.close();

        var report = LuceneReindexer.rebuild(dir, renamed("other-model"), r -> List.of());

        assertThat(report).isEqualTo(new LuceneReindexer.Report(1, 1, 1, false, "other-model"));
        store = LuceneMemoryStore.open(dir, renamed("other-model"));
        assertThat(store.item("a")).isPresent();
        assertThat(store.resource("r1")).isPresent();
        assertThat(store.vectorSearch(store.embedder().embed("email"), SearchFilter.of(ALICE), 1)).hasSize(1);
    }

    @Test
    void aDamagedIndexIsDetectedOnOpenAndRebuiltFromTheJournal() throws Exception {
        store.putResource(new Resource("r1", ResourceType.FEEDBACK, "Budget is 5k", Map.of(), null, ALICE, null));
        store.putItems(List.of(item("a", "Budget is 5k", "budget_information", ALICE, 0)));
        store.close();
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
                Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
        }

        assertThatThrownBy(() -> LuceneMemoryStore.open(dir, SharedEmbedder.get()))
                .isInstanceOf(MemoryError.class).hasMessageContaining("damaged")
                .satisfies(e -> assertThat(((MemoryError) e).hint()).contains("sigil memory reindex"));

        var report = LuceneReindexer.rebuild(dir, SharedEmbedder.get(), r -> List.of(
                MemoryItem.of(r.content(), "budget_information", 0.6, r.scope(), r.id())));

        assertThat(report.fromJournal()).isTrue();
        assertThat(report.items()).isEqualTo(1);
        store = LuceneMemoryStore.open(dir, SharedEmbedder.get());
        assertThat(store.keywordSearch("budget", SearchFilter.of(ALICE), 3)).hasSize(1);
    }

    @Test
    void aSecondWriterOnTheSameDirectoryIsRefused() {
        assertThatThrownBy(() -> LuceneMemoryStore.open(dir, SharedEmbedder.get()))
                .isInstanceOf(MemoryError.class).hasMessageContaining("in use");
    }

    @Test
    void aTurnIsFoundByKeywordThroughItsContextAndItsDateButReturnedAsItself() {
        var march = java.time.Instant.parse("2023-03-15T18:00:00Z");
        var reply = new MemoryItem("reply", null, "Maya: Yes! We named her Pixel.", "general", 1,
                Map.of(io.sigil.memory.retrieval.KeywordText.CONTEXT, "Sam: Did you get the corgi puppy?"), ALICE, march);
        var other = new MemoryItem("other", null, "Sam: Pixel is a cute name for a phone.", "general", 1, Map.of(), ALICE,
                java.time.Instant.parse("2023-06-01T10:00:00Z"));
        store.putItems(List.of(reply, other));
        store.flush();
        var corgi = store.keywordSearch("corgi", SearchFilter.of(ALICE), 5);
        assertThat(corgi).extracting(h -> h.item().id()).containsExactly("reply");
        assertThat(corgi.getFirst().item().content()).isEqualTo("Maya: Yes! We named her Pixel.");
        assertThat(store.keywordSearch("what happened in March", SearchFilter.of(ALICE), 5))
                .extracting(h -> h.item().id()).containsExactly("reply");
        assertThat(store.keywordSearch("Wednesday", SearchFilter.of(ALICE), 5)).extracting(h -> h.item().id()).containsExactly("reply");
    }
}
