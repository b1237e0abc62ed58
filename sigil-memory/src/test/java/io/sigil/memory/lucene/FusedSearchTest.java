package io.sigil.memory.lucene;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.SharedEmbedder;
import io.sigil.memory.eval.EvalSet;
import io.sigil.memory.retrieval.Fusion;
import io.sigil.memory.retrieval.Retriever;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The optimised rag search ({@link FusedSearch}) against its definition ({@link MemoryStore#completedSearch}: four
 * searches and complete items) on the committed dev set: every query, the depths and k of rag, hybrid and llm, two
 * fusions, a category filter, several segments and deleted documents, the query vector given or supplied once BM25
 * has run (rag embeds the query meanwhile). Rankings and scores must be identical.
 */
class FusedSearchTest {
    private static final Scope OTHER = Scope.user("other");
    @TempDir static Path dir;
    private static LuceneMemoryStore store;
    private static EvalSet dev;

    @BeforeAll
    static void index() {
        Path root = Path.of("..", "eval", "memory-dev");
        assertThat(root.resolve("corpus.jsonl")).as("the committed dev set").exists();
        dev = EvalSet.load(root.resolve("corpus.jsonl"), root.resolve("queries.jsonl"));
        store = LuceneMemoryStore.open(dir, SharedEmbedder.get());
        var batch = new ArrayList<MemoryItem>();
        for (int i = 0; i < dev.corpus().size(); i++) {
            EvalSet.Doc d = dev.corpus().get(i);
            // Every 7th turn in another scope and every 5th in another category, so filters exclude something.
            batch.add(new MemoryItem(d.id(), null, d.text(), i % 5 == 0 ? "notes" : "general", 1.0, Map.of(),
                    i % 7 == 0 ? OTHER : Scope.GLOBAL, d.timestamp()));
            if (batch.size() == 400) { // flushed one by one, so several segments
                store.putItems(List.copyOf(batch));
                store.flush();
                batch.clear();
            }
        }
        store.putItems(batch);
        store.flush();
        for (int i = 3; i < dev.corpus().size(); i += 50) store.deleteItem(dev.corpus().get(i).id());
        store.flush();
    }

    @AfterAll
    static void close() { store.close(); }

    @Test
    void ranksEveryDevQueryExactlyAsTheDefinition() {
        // Every query as rag runs it (default fusion, depth 50, k 10); besides, one more configuration a query in
        // turn: hybrid's and llm's k and depth, reciprocal rank fusion, a category filter.
        var rrf = new Fusion.ReciprocalRank(60, 1, 1);
        var notes = new SearchFilter(Scope.GLOBAL, "notes");
        var all = SearchFilter.of(Scope.GLOBAL);
        List<Case> others = List.of(new Case(Retriever.DEFAULT_FUSION, all, 50, 20),
                new Case(Retriever.DEFAULT_FUSION, all, 200, 50), new Case(rrf, all, 50, 10),
                new Case(Retriever.DEFAULT_FUSION, notes, 50, 10), new Case(rrf, notes, 200, 50));
        int compared = 0;
        for (int i = 0; i < dev.queries().size(); i++) {
            String query = dev.queries().get(i).query();
            float[] vector = store.embedder().embed(query);
            for (Case c : List.of(new Case(Retriever.DEFAULT_FUSION, all, 50, 10), others.get(i % others.size()))) {
                List<Hit> fast = store.fusedSearch(query, vector, c.filter(), c.depth(), c.k(), c.fusion()::fuse);
                List<Hit> plain = MemoryStore.completedSearch(store, query, vector, c.filter(), c.depth(), c.k(),
                        c.fusion()::fuse);
                assertThat(fast).as("%s with %s", query, c).isEqualTo(plain);
                var asked = new java.util.concurrent.atomic.AtomicInteger();
                List<Hit> later = store.fusedSearch(query, () -> { asked.incrementAndGet(); return vector; },
                        c.filter(), c.depth(), c.k(), c.fusion()::fuse);
                assertThat(later).as("vector supplied after BM25: %s with %s", query, c).isEqualTo(plain);
                assertThat(asked).hasValue(1);
                if (!plain.isEmpty()) compared++;
            }
        }
        assertThat(compared).isGreaterThan(dev.queries().size());
    }

    private record Case(Fusion fusion, SearchFilter filter, int depth, int k) { }

    @Test
    void aQueryVectorThatCannotBeComputedFailsTheSearchWithItsOwnError() {
        var filter = SearchFilter.of(Scope.GLOBAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.fusedSearch("budget", () -> {
            throw new IllegalStateException("the embedder is closed");
        }, filter, 50, 10, Retriever.DEFAULT_FUSION::fuse)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the embedder is closed");
        float[] vector = store.embedder().embed("budget"); // and the store searches on afterwards
        assertThat(store.fusedSearch("budget", () -> vector, filter, 50, 10, Retriever.DEFAULT_FUSION::fuse))
                .isEqualTo(store.fusedSearch("budget", vector, filter, 50, 10, Retriever.DEFAULT_FUSION::fuse));
    }

    @Test
    void theFilterCacheIsFilledOncePerSegmentAndFilter() {
        float[] vector = store.embedder().embed("budget");
        store.fusedSearch("budget", vector, SearchFilter.of(Scope.GLOBAL), 50, 10, Retriever.DEFAULT_FUSION::fuse);
        long after = store.filterCacheBytes();
        store.fusedSearch("timeline", vector, SearchFilter.of(Scope.GLOBAL), 50, 10, Retriever.DEFAULT_FUSION::fuse);
        assertThat(after).isPositive();
        assertThat(store.filterCacheBytes()).isEqualTo(after);
    }
}
