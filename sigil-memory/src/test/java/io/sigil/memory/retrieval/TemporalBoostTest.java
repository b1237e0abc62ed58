package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
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

/** The temporal boost on a real store: it moves in-window turns up for questions that name a span, and nothing else. */
class TemporalBoostTest {
    private static final Scope NORA = Scope.user("nora");
    /** A Wednesday: "last week" is Monday 2 June up to now. */
    private static final Instant ASKED = Instant.parse("2025-06-11T15:00:00Z");
    /** Five turns of Nora's: three on the bakery (April, May, last week), two on other things. */
    private static final List<MemoryItem> TURNS = List.of(
            item("april", "Nora: I am opening a bakery downtown, I signed the lease for the bakery", "2025-04-20"),
            item("may", "Nora: Opening the bakery downtown is taking forever, the bakery oven is late", "2025-05-14"),
            item("june", "Nora: The bakery idea is still on my mind", "2025-06-05"),
            item("dog", "Nora: We adopted a corgi puppy and named it Pixel", "2025-06-06"),
            item("run", "Nora: I ran ten kilometres along the river", "2025-03-02"));
    @TempDir static Path dir;
    private static LuceneMemoryStore turns;

    @BeforeAll
    static void index() {
        turns = LuceneMemoryStore.open(dir, SharedEmbedder.get());
        turns.putItems(TURNS);
        turns.flush();
    }

    @AfterAll
    static void close() { turns.close(); }

    private static MemoryItem item(String id, String content, String day) {
        return new MemoryItem(id, null, content, "general", 0.9, Map.of(), NORA, Instant.parse(day + "T18:00:00Z"));
    }

    private static List<Hit> search(TemporalBoost boost, String question) {
        var retriever = Retriever.builder().store(turns).retrievalK(3).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION)
                .temporalBoost(boost).build();
        return retriever.recall(new RecallQuery(question, NORA, null, 3, RetrievalMode.RAG, ASKED)).hits();
    }

    private static List<String> ids(List<Hit> hits) { return hits.stream().map(h -> h.item().id()).toList(); }

    @Test
    void aQuestionAboutLastWeekRanksTheTurnOfLastWeekFirst() {
        String question = "What did Nora say about opening the bakery last week?";
        List<Hit> plain = search(TemporalBoost.OFF, question);
        assertThat(ids(plain).getFirst()).as("by text alone an older, wordier turn wins").isNotEqualTo("june");

        List<Hit> boosted = search(new TemporalBoost(0.3), question);
        assertThat(ids(boosted).getFirst()).isEqualTo("june");
        assertThat(boosted).allSatisfy(h -> assertThat(h.score()).isBetween(0.0, 1.0));
        assertThat(ids(boosted)).contains("april", "may"); // still found, just below
    }

    @Test
    void questionsWithoutASpanOfTimeAreUnchanged() {
        for (String question : List.of("What did Nora say about the bakery?", "When did Nora adopt a dog?",
                "What did Nora do before the trip?")) {
            assertThat(search(new TemporalBoost(0.3), question)).as(question)
                    .isEqualTo(search(TemporalBoost.OFF, question));
        }
    }

    @Test
    void theRagReasonSaysTheBoostIsOn() {
        var retriever = Retriever.builder().store(turns).retrievalK(3).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION)
                .temporalBoost(new TemporalBoost(0.3)).build();
        assertThat(retriever.recall(new RecallQuery("bakery", NORA, null, 3, RetrievalMode.RAG)).reason())
                .contains("temporal boost 0.3");
    }
}
