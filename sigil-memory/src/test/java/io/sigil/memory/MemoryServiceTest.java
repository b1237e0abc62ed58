package io.sigil.memory;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.ToolError;
import io.sigil.events.EventType;
import io.sigil.llm.test.TestModel;
import io.sigil.memory.extract.RuleExtractor;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.memory.retrieval.RecallQuery;
import io.sigil.memory.retrieval.Retriever;
import io.sigil.memory.tools.MemoryTool;
import io.sigil.tools.Tool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryServiceTest {
    private static final Scope ACME = Scope.agent("sales");
    @TempDir Path dir;
    private LuceneMemoryStore store;
    private final List<Map<String, ?>> events = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void open() { store = LuceneMemoryStore.open(dir, SharedEmbedder.get()); }

    @AfterEach
    void close() { store.close(); }

    private MemoryService service(TestModel model, int threshold) {
        return new MemoryService(store, new RuleExtractor(), new Consolidator(model),
                Retriever.builder().store(store).retrievalK(5).hybridThreshold(0.7).fusion(Retriever.DEFAULT_FUSION).build(),
                (type, payload) -> { if (type == EventType.MEMORY_EXTRACTED) events.add(payload); },
                threshold, new MemoryMetrics(registry, store));
    }

    private static Resource call(String text) { return Resource.of(ResourceType.CONVERSATION, text, ACME); }

    @Test
    void ingestingExtractsStoresReportsAndCountsItems() {
        var memory = service(null, 100);
        var result = memory.ingest(call("lead: We prefer email.\nlead: Our budget is $40k.\nrep: Thanks!"));

        assertThat(result.added()).extracting(MemoryItem::category).containsExactly("lead_preferences", "budget_information");
        assertThat(result.added()).allSatisfy(i -> assertThat(i.sourceResourceId()).isEqualTo(result.resource().id()));
        assertThat(store.resource(result.resource().id())).isPresent();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.get("items")).isEqualTo(2);
            assertThat(e.get("scope")).isEqualTo("agent:sales");
        });
        assertThat(registry.get(MemoryMetrics.ITEMS).tag("category", "budget_information").gauge().value()).isEqualTo(1);
        assertThat(memory.recall(RecallQuery.of("How much can they spend?", ACME)).hits().getFirst().item().content())
                .isEqualTo("Our budget is $40k.");
    }

    @Test
    void nearDuplicatesMergeIntoTheExistingItem() {
        var memory = service(null, 100);
        memory.remember("Acme prefers email over phone calls", "lead_preferences", ACME);
        var again = memory.remember("Acme prefers email over phone calls.", "lead_preferences", ACME);

        assertThat(again.added()).isEmpty();
        assertThat(again.merged()).isEqualTo(1);
        assertThat(store.allItems()).singleElement()
                .satisfies(i -> assertThat(i.metadata()).containsEntry("mentions", "2"));
    }

    @Test
    void emptyInputIsRefused() {
        var memory = service(null, 100);
        assertThatThrownBy(() -> memory.remember(" ", null, ACME)).isInstanceOf(InvalidInputError.class);
        assertThatThrownBy(() -> memory.ingest(call(""))).isInstanceOf(InvalidInputError.class);
    }

    @Test
    void consolidationWithoutAModelAppendsOnlyWhatIsNewAndRunsAutomaticallyAtTheThreshold() {
        var memory = service(null, 2);
        memory.remember("Budget is 40k", "budget_information", ACME);
        assertThat(memory.category(ACME, "budget_information").content()).isEmpty();

        var second = memory.remember("Budget can stretch to 45k with approval", "budget_information", ACME);
        assertThat(second.consolidated()).containsExactly("budget_information");
        var summary = memory.category(ACME, "budget_information");
        assertThat(summary.content()).isEqualTo("- Budget is 40k\n- Budget can stretch to 45k with approval");
        assertThat(summary.lastConsolidated()).isNotNull();

        memory.remember("Finance wants quarterly invoices", "budget_information", ACME);
        assertThat(memory.consolidate(ACME, "budget_information").content())
                .isEqualTo("- Budget is 40k\n- Budget can stretch to 45k with approval\n- Finance wants quarterly invoices");
    }

    @Test
    void consolidationWithAModelSendsTheOldSummaryAndOnlyNewItems() {
        var model = TestModel.queueText("{\"summary\":\"- Budget is 45k (was 40k)\"}");
        var memory = service(model, 100);
        store.putCategory(new Category("budget_information", "", "- Budget is 40k", 0, java.time.Instant.now().minusSeconds(60), ACME));
        memory.remember("Budget raised to 45k", "budget_information", ACME);

        assertThat(memory.consolidate(ACME, "budget_information").content()).isEqualTo("- Budget is 45k (was 40k)");
        String prompt = ((io.sigil.llm.Message.User) model.requests().getFirst().messages().getFirst()).text();
        assertThat(prompt).contains("- Budget is 40k").contains("Budget raised to 45k");
    }

    @Test
    void theFourToolsWorkInTheirScopeAndDescribeTheirArguments() throws Exception {
        var memory = service(null, 100);
        List<Tool> tools = MemoryTool.all(memory, ACME);
        assertThat(tools).extracting(Tool::name).containsExactly("recall", "remember", "list_categories", "get_category");
        assertThat(tools).allSatisfy(t -> assertThat(t.inputSchema().path("type").asText()).isEqualTo("object"));
        var json = MemoryJson.MAPPER;

        assertThat(tools.get(1).execute(json.readTree("{\"content\":\"Dana signs contracts\",\"category\":\"decision_makers\"}")))
                .contains("\"stored\":1");
        JsonNode recall = json.readTree(tools.get(0).execute(json.readTree("{\"query\":\"who signs?\"}")));
        assertThat(recall.path("results").get(0).path("content").asText()).isEqualTo("Dana signs contracts");
        assertThat(recall.path("mode").asText()).isEqualTo("rag");
        assertThat(tools.get(2).execute(json.readTree("{}"))).contains("decision_makers");
        assertThat(tools.get(3).execute(json.readTree("{\"name\":\"decision_makers\"}"))).contains("\"item_count\":1");
        assertThatThrownBy(() -> tools.get(3).execute(json.readTree("{\"name\":\"nope\"}")))
                .isInstanceOf(ToolError.class).hasMessageContaining("nope");
    }

    /** The shared model, counting what it is asked to embed (the store and the service use the same instance). */
    private static final class Counting implements Embedder {
        final List<Integer> calls = new java.util.concurrent.CopyOnWriteArrayList<>();

        public String model() { return SharedEmbedder.get().model(); }

        public int dimension() { return SharedEmbedder.get().dimension(); }

        public List<float[]> embed(List<String> texts) {
            calls.add(texts.size());
            return SharedEmbedder.get().embed(texts);
        }
    }

    @Test
    void ingestingEmbedsEachCandidateOnceForTheDuplicateCheckAndTheIndex() {
        store.close();
        var counting = new Counting();
        store = LuceneMemoryStore.open(dir.resolve("counted"), counting);
        var memory = new MemoryService(store, new RuleExtractor(), new Consolidator(null), null, null, 100, null);

        var result = memory.ingest(call("lead: We prefer email.\nlead: Our budget is $40k.\nrep: Thanks!"));

        assertThat(result.added()).hasSize(2);
        assertThat(counting.calls).as("one call for both texts").containsExactly(2);
        assertThat(store.keywordSearch("budget", SearchFilter.of(ACME), 3)).hasSize(1);

        // A repeated fact is merged: the existing item is re-indexed with its new metadata and its stored vector.
        counting.calls.clear();
        var again = memory.ingest(call("lead: We prefer email."));
        assertThat(again.merged()).isEqualTo(1);
        assertThat(counting.calls).containsExactly(1);
        assertThat(store.vectorSearch(SharedEmbedder.get().embed("We prefer email."), SearchFilter.of(ACME), 1))
                .singleElement().satisfies(h -> {
                    assertThat(h.item().metadata()).containsEntry("mentions", "2");
                    assertThat(h.score()).isGreaterThan(0.999);
                });
    }
}
