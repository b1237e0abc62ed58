package io.sigil.memory.retrieval;

import io.sigil.errors.InvalidInputError;
import io.sigil.llm.ChatRequest;
import io.sigil.llm.test.TestModel;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Scope;
import io.sigil.memory.SharedEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrieverTest {
    private static final Scope ACME = Scope.user("acme");
    @TempDir static Path dir;
    private static LuceneMemoryStore store;

    @BeforeAll
    static void index() {
        store = LuceneMemoryStore.open(dir, SharedEmbedder.get());
        store.putItems(List.of(
                item("budget", "Finance signed off on 45k dollars for the CRM project", "budget_information"),
                item("decider", "Maria Lopez, the CFO, has the final say on vendors", "decision_makers"),
                item("deadline", "We need the system live before March 31", "timeline_requirements"),
                item("contact", "Send the proposal to maria@acme.example", "contact_information"),
                item("pain", "Our reps waste hours typing notes into spreadsheets", "pain_points")));
        store.flush();
    }

    @AfterAll
    static void close() { store.close(); }

    private static MemoryItem item(String id, String content, String category) {
        return new MemoryItem(id, null, content, category, 0.9, Map.of(), ACME, null);
    }

    private static Retriever retriever(TestModel model, double threshold) {
        return Retriever.builder().store(store).chatModel(model).retrievalK(3).hybridThreshold(threshold)
                .fusion(Retriever.DEFAULT_FUSION).build();
    }

    private static List<String> ids(Recall r) { return r.hits().stream().map(h -> h.item().id()).toList(); }

    @Test
    void theBuilderDefaultsToTheSettingsDefaultsAndTheStoresModelsFusion() {
        Retriever r = Retriever.builder().store(store).build();
        assertThat(r.fusion()).isEqualTo(Retriever.defaultFusion(store.embedder().model()));
        assertThat(r.temporalBoost()).isEqualTo(TemporalBoost.OFF);
        Recall recall = r.recall(RecallQuery.of("who decides on vendors", ACME));
        assertThat(recall.hits()).hasSize(io.sigil.config.Settings.Memory.DEFAULTS.retrievalK());
        assertThat(recall.reason()).contains(String.format(java.util.Locale.ROOT, "threshold %.2f",
                io.sigil.config.Settings.Memory.DEFAULTS.hybridThreshold()));
    }

    @Test
    void theBuilderRefusesAMissingStoreAndANonPositiveK() {
        assertThatThrownBy(() -> Retriever.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("memory store");
        assertThatThrownBy(() -> Retriever.builder().store(store).retrievalK(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retrieval_k");
    }

    @Test
    void anEmptyQueryIsRefusedWithAHint() {
        assertThatThrownBy(() -> retriever(null, 0.7).recall(RecallQuery.of("  ", ACME)))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("empty");
    }

    @Test
    void ragFindsByWordsAndByMeaningAndReturnsRetrievalK() {
        var r = retriever(null, 0.7);
        var byWords = r.recall(new RecallQuery("spreadsheets", ACME, null, 0, RetrievalMode.RAG));
        assertThat(byWords.hits()).hasSize(3);
        assertThat(ids(byWords).getFirst()).isEqualTo("pain");
        assertThat(byWords.answeredBy()).isEqualTo(RetrievalMode.RAG);

        var byMeaning = r.recall(new RecallQuery("How much money can they spend?", ACME, null, 1, RetrievalMode.RAG));
        assertThat(ids(byMeaning)).containsExactly("budget");
    }

    @Test
    void categoryAndScopeFilterEveryMode() {
        var r = retriever(null, 0.7);
        for (RetrievalMode mode : List.of(RetrievalMode.KEYWORD, RetrievalMode.VECTOR, RetrievalMode.RAG, RetrievalMode.HYBRID)) {
            assertThat(ids(r.recall(new RecallQuery("Maria", ACME, "contact_information", 5, mode))))
                    .as(mode.wireName()).containsExactly("contact");
            assertThat(r.recall(new RecallQuery("Maria", Scope.user("unknown"), null, 5, mode)).hits())
                    .as(mode.wireName()).isEmpty();
        }
    }

    @Test
    void hybridAnswersWithRagWhenConfident() {
        var model = TestModel.queueText();
        var result = retriever(model, 0.0).recall(RecallQuery.of("deadline March", ACME));

        assertThat(result.answeredBy()).isEqualTo(RetrievalMode.RAG);
        assertThat(result.reason()).contains(">= threshold 0.00");
        assertThat(model.requests()).isEmpty();
    }

    @Test
    void hybridEscalatesToTheModelBelowTheThresholdAndKeepsItsOrder() {
        var model = TestModel.scripted(request -> {
            String prompt = ((io.sigil.llm.Message.User) request.messages().getFirst()).text();
            int n = number(prompt, "signed off");
            return TestModel.text("{\"ranking\":[{\"index\":" + n + ",\"relevance\":0.95}]}");
        });
        var result = retriever(model, 1.01).recall(RecallQuery.of("What can Acme afford?", ACME));

        assertThat(result.answeredBy()).isEqualTo(RetrievalMode.LLM);
        assertThat(result.reason()).contains("< threshold 1.01").contains("escalated to llm");
        assertThat(ids(result)).containsExactly("budget");
        assertThat(result.hits().getFirst().score()).isEqualTo(0.95);
        ChatRequest sent = model.requests().getFirst();
        assertThat(sent.outputSchema()).isNotNull();
        assertThat(((io.sigil.llm.Message.User) sent.messages().getFirst()).text()).contains("[5]");
    }

    @Test
    void hybridWithoutAModelSaysRagAnsweredAndWhy() {
        var result = retriever(null, 1.01).recall(RecallQuery.of("What can Acme afford?", ACME));
        assertThat(result.answeredBy()).isEqualTo(RetrievalMode.RAG);
        assertThat(result.reason()).contains("no model is configured");
    }

    @Test
    void anUnusableRankingFallsBackToRag() {
        var result = retriever(TestModel.queueText("not json"), 0.7)
                .recall(new RecallQuery("budget", ACME, null, 2, RetrievalMode.LLM));
        assertThat(result.answeredBy()).isEqualTo(RetrievalMode.RAG);
        assertThat(result.reason()).contains("unusable");
        assertThat(result.hits()).hasSize(2);
    }

    @Test
    void llmModeNeedsAModel() {
        assertThatThrownBy(() -> retriever(null, 0.7).recall(new RecallQuery("budget", ACME, null, 2, RetrievalMode.LLM)))
                .isInstanceOf(InvalidInputError.class).hasMessageContaining("needs a model");
    }

    /** The candidate number the prompt gave the line containing {@code text}. */
    private static int number(String prompt, String text) {
        for (String line : prompt.split("\n")) {
            if (line.contains(text)) return Integer.parseInt(line.substring(1, line.indexOf(']')));
        }
        throw new AssertionError("no candidate with " + text);
    }

    @Test
    void ragSendsBm25TheQuestionWithoutItsQuestionWordsWhileKeywordModeStaysPlainBm25(@TempDir Path own) {
        Scope chat = Scope.user("chat");
        try (var chats = LuceneMemoryStore.open(own, SharedEmbedder.get())) {
            chats.putItems(List.of(
                    new MemoryItem("smalltalk", null, "Jo: What did you do? What did you do all weekend?", "general", 1,
                            Map.of(), chat, null),
                    new MemoryItem("answer", null, "Jo: Sam finally adopted a corgi puppy named Pixel.", "general", 1,
                            Map.of(), chat, null),
                    new MemoryItem("other", null, "Jo: The weather was lovely at the lake.", "general", 1, Map.of(), chat,
                            null)));
            chats.flush(); // writes become searchable after the indexer's next round
            var r = Retriever.builder().store(chats).retrievalK(3).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION).build();
            String question = "What did you do with Sam?";

            // plain BM25 matches what, did, you and do in the small talk
            assertThat(ids(r.recall(new RecallQuery(question, chat, null, 1, RetrievalMode.KEYWORD))))
                    .containsExactly("smalltalk");
            // rag's BM25 half only looks for Sam
            assertThat(ids(r.recall(new RecallQuery(question, chat, null, 1, RetrievalMode.RAG)))).containsExactly("answer");
        }
    }
}
