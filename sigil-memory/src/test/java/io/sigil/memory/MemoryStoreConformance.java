package io.sigil.memory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link MemoryStore} must do. An adapter's test extends this class and says how to open an empty
 * store; the suite ships in sigil-memory's test-jar (with {@link SharedEmbedder}, the
 * real MiniLM its semantic checks need) so stores in other modules (PostgreSQL) run it unchanged.
 */
public abstract class MemoryStoreConformance {
    protected static final Scope ALICE = Scope.user("alice");
    protected static final Scope BOB = Scope.user("bob");

    protected MemoryStore store;

    /** An empty store using {@code embedder}. */
    protected abstract MemoryStore openEmptyStore(Embedder embedder) throws Exception;

    /** The same store closed and opened again (durability); stores without a process-local state may return it. */
    protected abstract MemoryStore reopen(MemoryStore store) throws Exception;

    /**
     * The same store stopped as a crash would stop it (no flush, no close: only what is durable survives) and
     * opened again. Stores that cannot simulate that return {@link #reopen}.
     */
    protected MemoryStore crashAndReopen(MemoryStore store) throws Exception { return reopen(store); }

    @BeforeEach
    void openStore() throws Exception { store = openEmptyStore(SharedEmbedder.get()); }

    @AfterEach
    void closeStore() { if (store != null) store.close(); }

    private static final Instant T0 = Instant.parse("2026-01-10T10:00:00Z");

    protected static MemoryItem item(String id, String content, String category, Scope scope, int minutes) {
        return new MemoryItem(id, "r1", content, category, 0.9, Map.of("k", "v"), scope,
                T0.plus(minutes, ChronoUnit.MINUTES));
    }

    @Test
    void resourcesRoundTripVerbatimAndOldestFirst() {
        var later = new Resource("r2", ResourceType.DOCUMENT, "Doc body\nline two", Map.of("file", "a.md"), null, ALICE, T0.plusSeconds(5));
        var first = new Resource("r1", ResourceType.CONVERSATION, "user: hi", Map.of(), "s-1", ALICE, T0);
        store.putResource(later);
        store.putResource(first);
        store.flush();

        assertThat(store.resource("r2")).contains(later);
        assertThat(store.resource("missing")).isEmpty();
        assertThat(store.resources()).containsExactly(first, later);
    }

    @Test
    void itemsAreStoredReplacedByIdAndDeleted() {
        var original = item("i1", "Acme prefers email over phone calls", "lead_preferences", ALICE, 0);
        store.putItems(List.of(original));
        store.flush();
        assertThat(store.item("i1")).contains(original);

        var replaced = item("i1", "Acme prefers Slack messages", "lead_preferences", ALICE, 1);
        store.putItems(List.of(replaced));
        store.flush();
        assertThat(store.item("i1")).contains(replaced);
        assertThat(store.allItems()).containsExactly(replaced);

        assertThat(store.deleteItem("i1")).isTrue();
        assertThat(store.deleteItem("i1")).isFalse();
        store.flush();
        assertThat(store.item("i1")).isEmpty();
    }

    @Test
    void itemsAndResourcesAreReadByIdManyAtATime() {
        var a = item("i1", "Acme prefers email", "lead_preferences", ALICE, 0);
        var b = item("i2", "Budget is 10k", "budget_information", BOB, 1);
        var r = new Resource("r1", ResourceType.CONVERSATION, "user: hi", Map.of("k", "v"), "s-1", ALICE, T0);
        store.putItems(List.of(a, b));
        store.putResource(r);
        store.flush();

        assertThat(store.itemsById(List.of("i2", "missing", "i1"))).containsOnly(Map.entry("i1", a), Map.entry("i2", b));
        assertThat(store.itemsById(List.of())).isEmpty();
        assertThat(store.resourcesById(List.of("missing", "r1"))).containsOnly(Map.entry("r1", r));
        assertThat(store.resourcesById(List.of("i1"))).as("ids of another kind are not resources").isEmpty();
    }

    @Test
    void keywordSearchRanksByTermsAndStaysInItsScope() {
        store.putItems(List.of(
                item("a", "The budget for the CRM rollout is 45k dollars", "budget_information", ALICE, 0),
                item("b", "Maria Lopez signs every contract", "decision_makers", ALICE, 1),
                item("c", "The budget is 99k", "budget_information", BOB, 2)));
        store.flush();

        var hits = store.keywordSearch("rollout budget", SearchFilter.of(ALICE), 5);
        assertThat(hits).extracting(h -> h.item().id()).containsExactly("a");
        assertThat(hits.getFirst().score()).isPositive();

        assertThat(store.keywordSearch("budget", SearchFilter.of(Scope.user("nobody")), 5)).isEmpty();
        assertThat(store.keywordSearch("budget", SearchFilter.of(BOB), 5)).extracting(h -> h.item().id())
                .containsExactly("c");
    }

    @Test
    void vectorSearchFindsParaphrasesByMeaning() {
        store.putItems(List.of(
                item("money", "They can spend at most forty thousand euros this year", "budget_information", ALICE, 0),
                item("who", "The CTO approves all vendor purchases", "decision_makers", ALICE, 1),
                item("when", "Go-live has to happen before the end of March", "timeline_requirements", ALICE, 2)));
        store.flush();

        var hits = store.vectorSearch(store.embedder().embed("How much money do they have available?"),
                SearchFilter.of(ALICE), 3);

        assertThat(hits).hasSize(3);
        assertThat(hits.getFirst().item().id()).isEqualTo("money");
        assertThat(hits.getFirst().score()).isBetween(0.0, 1.0).isGreaterThan(hits.get(2).score());
        assertThat(store.vectorSearch(store.embedder().embed("money"), SearchFilter.of(BOB), 3)).isEmpty();
    }

    @Test
    void categoryFilterRestrictsBothSearches() {
        store.putItems(List.of(
                item("a", "Budget approved by the CFO", "budget_information", ALICE, 0),
                item("b", "The CFO decides on budget", "decision_makers", ALICE, 1)));
        store.flush();
        var filter = new SearchFilter(ALICE, "decision_makers");

        assertThat(store.keywordSearch("budget CFO", filter, 5)).extracting(h -> h.item().id()).containsExactly("b");
        assertThat(store.vectorSearch(store.embedder().embed("budget"), filter, 5)).extracting(h -> h.item().id())
                .containsExactly("b");
    }

    @Test
    void fusedSearchRanksLikeItsDefinitionAndReturnsWholeItems() {
        store.putItems(List.of(
                item("a", "The budget for the CRM rollout is 45k dollars", "budget_information", ALICE, 0),
                item("b", "Maria Lopez signs every contract", "decision_makers", ALICE, 1),
                item("c", "They can spend at most forty thousand euros", "budget_information", ALICE, 2),
                item("d", "Go-live has to happen before the end of March", "timeline_requirements", ALICE, 3),
                item("e", "The budget is 99k", "budget_information", BOB, 4)));
        store.putItems(List.of(item("f", "Budget talks start on Monday", "timeline_requirements", ALICE, 5)));
        store.flush();
        // Sums the two lists' scores, keyed by id: enough to see both completed lists.
        java.util.function.BinaryOperator<List<Hit>> fuse = (keyword, vector) -> {
            var sum = new java.util.LinkedHashMap<String, Hit>();
            for (Hit h : keyword) sum.merge(h.item().id(), h, (x, y) -> new Hit(x.item(), x.score() + y.score()));
            for (Hit h : vector) sum.merge(h.item().id(), h, (x, y) -> new Hit(x.item(), x.score() + y.score()));
            return sum.values().stream().sorted(java.util.Comparator.comparingDouble(Hit::score).reversed()).toList();
        };
        float[] vector = store.embedder().embed("How much money can they spend?");

        for (var filter : List.of(SearchFilter.of(ALICE), new SearchFilter(ALICE, "budget_information"))) {
            for (int depth : new int[] {1, 2, 50}) {
                var fused = store.fusedSearch("budget money", vector, filter, depth, 3, fuse);
                assertThat(fused).isEqualTo(MemoryStore.completedSearch(store, "budget money", vector, filter, depth, 3, fuse));
            }
        }
        var all = store.fusedSearch("budget money", vector, SearchFilter.of(ALICE), 50, 10, fuse);
        assertThat(all).extracting(h -> h.item().id()).containsExactlyInAnyOrder("a", "b", "c", "d", "f");
        assertThat(all).extracting(Hit::item).contains(store.item("c").orElseThrow());
        assertThat(store.fusedSearch("budget", vector, SearchFilter.of(Scope.user("nobody")), 50, 10, fuse)).isEmpty();
    }

    @Test
    void categoriesAppearWithTheirItemsAndKeepTheirSummary() {
        store.putItems(List.of(
                item("a", "Budget is 10k", "budget_information", ALICE, 0),
                item("b", "Budget may grow to 12k", "budget_information", ALICE, 1),
                item("c", "Call after 5pm", "lead_preferences", ALICE, 2),
                item("d", "Bob's budget", "budget_information", BOB, 3)));
        store.flush();

        assertThat(store.categories(ALICE)).extracting(Category::name, Category::itemCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("budget_information", 2L),
                        org.assertj.core.groups.Tuple.tuple("lead_preferences", 1L));

        var budget = store.category(ALICE, "budget_information").orElseThrow();
        assertThat(budget.description()).isNotBlank();
        var consolidated = T0.plusSeconds(3600);
        store.putCategory(budget.withSummary("- Budget is 10k, may grow to 12k", consolidated));
        store.flush();

        var read = store.category(ALICE, "budget_information").orElseThrow();
        assertThat(read.content()).isEqualTo("- Budget is 10k, may grow to 12k");
        assertThat(read.lastConsolidated()).isEqualTo(consolidated);
        assertThat(read.itemCount()).isEqualTo(2);
        assertThat(store.category(ALICE, "no_such")).isEmpty();
        assertThat(store.itemCountsByCategory()).containsEntry("budget_information", 3L).containsEntry("lead_preferences", 1L);
    }

    @Test
    void itemsListNewestFirstWithLimitAndCountSince() {
        store.putItems(List.of(
                item("old", "first", "general", ALICE, 0),
                item("mid", "second", "general", ALICE, 10),
                item("new", "third", "general", ALICE, 20)));
        store.flush();

        assertThat(store.items(SearchFilter.of(ALICE), 2)).extracting(MemoryItem::id).containsExactly("new", "mid");
        var filter = new SearchFilter(ALICE, "general");
        assertThat(store.countItems(filter, T0.plusSeconds(5 * 60).toEpochMilli())).isEqualTo(2);
        assertThat(store.countItems(filter, Long.MIN_VALUE + 1)).isEqualTo(3);
    }

    @Test
    void everythingSurvivesReopening() throws Exception {
        store.putResource(new Resource("r1", ResourceType.FEEDBACK, "great call", Map.of(), null, ALICE, T0));
        store.putItems(List.of(item("a", "Prefers morning meetings", "lead_preferences", ALICE, 0)));

        store = reopen(store);

        assertThat(store.resource("r1")).isPresent();
        assertThat(store.keywordSearch("morning", SearchFilter.of(ALICE), 3)).extracting(h -> h.item().id())
                .containsExactly("a");
        assertThat(store.categories(ALICE)).extracting(Category::name).containsExactly("lead_preferences");
    }

    @Test
    void writesBecomeVisibleInOrderAfterFlush() {
        var budget = new Category("budget_information", "Money", "- Budget is 10k", 0, T0, ALICE);
        store.putCategory(budget);
        store.putItems(List.of(item("a", "Budget is 10k", "budget_information", ALICE, 0)));
        store.putItems(List.of(item("b", "Budget may grow", "budget_information", ALICE, 1)));
        assertThat(store.deleteItem("b")).isTrue();
        store.putItems(List.of(item("a", "Budget is 11k", "budget_information", ALICE, 2)));

        store.flush();

        assertThat(store.allItems()).extracting(MemoryItem::content).containsExactly("Budget is 11k");
        // an item of an existing category never resets the category's summary, even in the same indexing batch
        assertThat(store.category(ALICE, "budget_information").orElseThrow().content()).isEqualTo("- Budget is 10k");
    }

    @Test
    void itemsStoredWithTheirOwnVectorsAreFoundByThem() {
        float[] vector = store.embedder().embed("Lunch meetings suit them best");
        store.putItems(List.of(item("v", "Lunch meetings suit them best", "lead_preferences", ALICE, 0)),
                List.of(vector));
        store.flush();

        var hits = store.vectorSearch(vector, SearchFilter.of(ALICE), 1);
        assertThat(hits).singleElement().satisfies(h -> assertThat(h.score()).isGreaterThan(0.999));
    }

    @Test
    void everyWriteThatReturnedSurvivesACrashWithoutFlush() throws Exception {
        store.putResource(new Resource("r1", ResourceType.FEEDBACK, "great call", Map.of(), null, ALICE, T0));
        store.putItems(List.of(item("a", "Prefers morning meetings", "lead_preferences", ALICE, 0),
                item("b", "Budget is 10k", "budget_information", ALICE, 1)));
        store.putItems(List.of(item("c", "Call on Tuesdays", "lead_preferences", ALICE, 2)),
                List.of(store.embedder().embed("Call on Tuesdays")));
        store.putCategory(new Category("lead_preferences", "How they like it", "- mornings", 0, T0, ALICE));
        store.deleteItem("b");

        store = crashAndReopen(store);

        assertThat(store.resource("r1")).isPresent();
        assertThat(store.allItems()).extracting(MemoryItem::id).containsExactlyInAnyOrder("a", "c");
        assertThat(store.keywordSearch("tuesdays", SearchFilter.of(ALICE), 3)).extracting(h -> h.item().id())
                .containsExactly("c");
        assertThat(store.category(ALICE, "lead_preferences").orElseThrow().content()).isEqualTo("- mornings");
    }
}
