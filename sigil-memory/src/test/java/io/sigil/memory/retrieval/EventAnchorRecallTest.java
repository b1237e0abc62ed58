package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.SharedEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "before/after <event>" on a real store: the anchor is found by the store's own keyword search of the scope. */
class EventAnchorRecallTest {
    private static final Scope NORA = Scope.user("nora");
    private static final Scope LEO = Scope.user("leo");
    private static final Instant ASKED = Instant.parse("2025-06-11T15:00:00Z");
    /** Nora talks about the flat three times; her trip to Porto falls between the first two. */
    private static final List<MemoryItem> TURNS = List.of(
            item("flat-march", NORA, "Nora: We are viewing flats in Riverside, the flat with the big windows", "2025-03-10"),
            item("trip", NORA, "Nora: Back from Porto! Honestly the port cellars were the best part.", "2025-04-17"),
            item("flat-may", NORA, "Nora: We signed the lease on a flat near the harbour", "2025-05-05"),
            item("flat-june", NORA, "Nora: Moving into the flat was chaos, the sofa did not fit", "2025-06-02"),
            item("leo-trip", LEO, "Leo: Back from Porto too, what a trip", "2025-05-20"));
    @TempDir static Path dir;
    private static LuceneMemoryStore store;

    @BeforeAll
    static void index() {
        store = LuceneMemoryStore.open(dir, SharedEmbedder.get());
        store.putItems(TURNS);
        store.flush();
    }

    @AfterAll
    static void close() { store.close(); }

    private static MemoryItem item(String id, Scope scope, String content, String day) {
        return new MemoryItem(id, null, content, "general", 0.9, Map.of(), scope, Instant.parse(day + "T18:00:00Z"));
    }

    private static List<String> ids(TemporalBoost boost, String question) {
        var retriever = Retriever.builder().store(store).retrievalK(3).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION)
                .temporalBoost(boost).build();
        return retriever.recall(new RecallQuery(question, NORA, null, 4, RetrievalMode.RAG, ASKED)).hits().stream()
                .map(Hit::item).map(MemoryItem::id).toList();
    }

    @Test
    void theTurnBeforeTheTripRanksFirstOnlyWithAnchorsOn() {
        String question = "What did Nora say about the flat before her trip to Porto?";
        assertThat(ids(new TemporalBoost(0.3, true), question).getFirst()).isEqualTo("flat-march");
        // the boost without anchors leaves the question as text alone ranks it
        assertThat(ids(new TemporalBoost(0.3, false), question)).isEqualTo(ids(TemporalBoost.OFF, question));
        assertThat(new TemporalBoost(0.3).anchors()).as("on by default").isTrue();
    }

    @Test
    void theAnchorIsLookedForInTheQuestionsScopeOnly() {
        // Leo's trip (20 May) is in another scope: "after the trip" must start after Nora's (17 April), so May's
        // lease, not only June's move, is inside the span
        var boost = new TemporalBoost(0.3, true);
        TimeWindow w = boost.windowOf("What did Nora say about the flat after her trip to Porto?", ASKED,
                (text, n) -> store.keywordSearch(text, new SearchFilter(NORA, null), n));
        assertThat(w).isEqualTo(new TimeWindow(Instant.parse("2025-04-18T00:00:00Z"), ASKED.plusSeconds(1)));
        List<String> found = ids(boost, "What did Nora say about the flat after her trip to Porto?");
        assertThat(found).doesNotContain("leo-trip");
        assertThat(found.subList(0, 2)).containsExactlyInAnyOrder("flat-may", "flat-june");
    }

    @Test
    void theReasonSaysAnchorsAreOn() {
        var retriever = Retriever.builder().store(store).retrievalK(3).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION)
                .temporalBoost(new TemporalBoost(0.3, true)).build();
        assertThat(retriever.recall(new RecallQuery("flat", NORA, null, 3, RetrievalMode.RAG)).reason())
                .contains("temporal boost 0.3 with event anchors");
    }
}
