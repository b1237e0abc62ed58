package io.sigil.postgres;

import io.sigil.agents.AgentDefinitions;
import io.sigil.backup.BackupFormat.Part;
import io.sigil.backup.BackupWriter;
import io.sigil.backup.MemorySnapshot;
import io.sigil.backup.StateCopy;
import io.sigil.backup.StateImporter;
import io.sigil.backup.StateSnapshot;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.events.file.FileEventStore;
import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.lucene.LuceneMemoryStore;
import io.sigil.runtime.StateBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sigil state copy} and backup/restore of memory between a file installation (Lucene) and PostgreSQL (a
 * database of its own, "pgmem" in its name): with one embedding model on both sides the stored vectors are copied
 * and not a single text is embedded (a counting embedder proves it), in both directions and on a re-run; with
 * another model the items are embedded again and the output says so; a backup without vectors (older Sigil) is
 * restored by embedding.
 */
class PostgresMemoryCopyIT {
    private static final Scope ALICE = Scope.parse("user:alice");
    private static final int ITEMS = 2_500; // more than one write batch of the import and one page of the export

    @TempDir
    Path dir;
    private TestDatabase db;
    private final AgentDefinitions definitions = new AgentDefinitions(java.util.Arrays.stream(
            io.sigil.reasoning.StrategyName.values()).map(io.sigil.reasoning.StrategyName::wireName).collect(java.util.stream.Collectors.toSet()));
    private final ContractLoader loader = new ContractLoader();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Counts the texts it embeds; the model name is the test's choice. */
    static final class CountingEmbedder implements Embedder {
        private final HashEmbedder hash = new HashEmbedder();
        private final String model;
        final AtomicLong texts = new AtomicLong();

        CountingEmbedder(String model) { this.model = model; }

        @Override
        public String model() { return model; }

        @Override
        public int dimension() { return HashEmbedder.DIMENSION; }

        @Override
        public List<float[]> embed(List<String> batch) {
            texts.addAndGet(batch.size());
            return hash.embed(batch).stream().map(Embedder::normalize).toList();
        }
    }

    @BeforeEach
    void database() {
        db = TestDatabase.create("pgmem_copy");
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        db.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        open.add(c);
        return c;
    }

    private Settings settingsIn(Path root) {
        Settings d = Settings.defaults();
        return new Settings(d.environment(), false, d.features(), d.llm(),
                new Settings.Memory(root.resolve("memory"), "test-word-hash-32", null, 5, 0.7, 100, 100),
                new Settings.Contracts(d.contracts().defaultMaxRetries(), d.contracts().defaultStrategy(),
                        d.contracts().maxTotalTokens(), root.resolve("contracts")),
                new Settings.State(root.resolve("state"), 10_000, "file"), d.api(), d.security(), d.logging(),
                d.telemetry(), d.routing(), new Settings.Agents(root.resolve("agents")), d.tools(), d.services());
    }

    /** A file installation's state and its memory store. */
    private record Install(StateBackend state, MemoryStore memory) { }

    private Install fileInstall(String name, Embedder embedder) {
        Settings s = settingsIn(dir.resolve(name));
        StateBackend state = keep(new StateBackend.File(s, FileEventStore.open(s.state().dataDir(), 10_000)));
        return new Install(state, keep(LuceneMemoryStore.open(s.memory().dataDir(), embedder, 0)));
    }

    private PostgresStateBackend postgresState() {
        var events = keep(PostgresEventStore.open(db.database(), 10_000));
        return new PostgresStateBackend(settingsIn(dir.resolve("pg")), db.database(), events,
                new PostgresHealthCheck(db.database()), new AtomicReference<>());
    }

    private PostgresMemoryStore postgresMemory(Embedder embedder, String projection) {
        return keep(PostgresMemoryStore.open(db.database(), embedder, LuceneMemoryStore.open(dir.resolve(projection), embedder, 0), () -> { }));
    }

    private static void populate(MemoryStore memory) {
        Instant t0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
        memory.putResource(new Resource("r1", ResourceType.CONVERSATION, "alice: I like green tea", Map.of("k", "v"), "s1", ALICE, t0));
        var items = new ArrayList<MemoryItem>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(new MemoryItem(String.format("item-%05d", i), "r1", "Alice fact number " + i + (i % 7 == 0 ? " green tea" : " hiking"),
                    i % 2 == 0 ? "preferences" : "activities", 0.9, Map.of(), ALICE, t0.plusSeconds(i)));
        }
        memory.putItems(items);
        memory.putCategory(new Category("preferences", "What Alice likes", "- green tea", 0, t0, ALICE));
        memory.flush();
    }

    private StateCopy.Report copy(StateBackend from, MemoryStore fromMemory, StateBackend to, MemoryStore toMemory, String work) {
        return copy(from, s -> MemorySnapshot.of(s, fromMemory), to, toMemory, work);
    }

    /** A copy as {@code sigil state copy} makes it, the source's memory read as {@code fromMemory} says. */
    private StateCopy.Report copy(StateBackend from, Function<StateSnapshot, MemorySnapshot> fromMemory, StateBackend to,
                                  MemoryStore toMemory, String work) {
        try (StateSnapshot snapshot = from.snapshot(definitions, loader)) {
            return new StateCopy().copy(snapshot, fromMemory.apply(snapshot), to.stores(definitions, loader, toMemory),
                    () -> to.snapshot(definitions, loader), dir.resolve(work));
        }
    }

    /** PostgreSQL's memory as a backup or a copy of the database reads it: from the snapshot, no store opened. */
    private static Function<StateSnapshot, MemorySnapshot> fromTables(Embedder embedder) {
        return s -> s.memory(embedder).orElseThrow();
    }

    private static List<String> ids() {
        var ids = new ArrayList<String>();
        for (int i = 0; i < ITEMS; i++) ids.add(String.format("item-%05d", i));
        return ids;
    }

    private static void assertSameVectors(MemoryStore a, MemoryStore b) {
        Map<String, float[]> va = a.storedVectors(ids());
        Map<String, float[]> vb = b.storedVectors(ids());
        assertThat(va).hasSize(ITEMS);
        assertThat(vb).hasSize(ITEMS);
        va.forEach((id, v) -> assertThat(vb.get(id)).as(id).containsExactly(v));
    }

    /** The copied vectors are the ones searched: an item's own vector finds it (or a twin) at similarity 1. */
    private static void assertFindsItsOwnVector(MemoryStore store, String id) {
        float[] v = store.storedVectors(List.of(id)).get(id);
        var hits = store.vectorSearch(v, SearchFilter.of(ALICE), 1);
        assertThat(hits).hasSize(1);
        assertThat(hits.getFirst().score()).isGreaterThan(0.999);
    }

    @Test
    void withOneModelBothDirectionsCopyTheVectorsAndEmbedNothing() {
        var fileEmbedder = new CountingEmbedder("test-word-hash-32");
        Install a = fileInstall("a", fileEmbedder);
        populate(a.memory());
        assertThat(fileEmbedder.texts.get()).isEqualTo(ITEMS);

        var pgEmbedder = new CountingEmbedder("test-word-hash-32");
        PostgresStateBackend pg = postgresState();
        PostgresMemoryStore pgMemory = postgresMemory(pgEmbedder, "projection-1");
        StateCopy.Report toPg = copy(a.state(), a.memory(), pg, pgMemory, "copy-1");

        assertThat(toPg.mismatches()).isEmpty();
        assertThat(pgEmbedder.texts.get()).as("texts embedded for the copy to PostgreSQL").isZero();
        assertThat(toPg.loaded().get(Part.MEMORY_VECTORS).written()).isEqualTo(ITEMS);
        assertThat(toPg.loaded().get(Part.MEMORY_VECTORS).note()).isEmpty();
        assertThat(toPg.target().get(Part.MEMORY_VECTORS).sha256()).as("vectors compared by checksum")
                .isEqualTo(toPg.source().get(Part.MEMORY_VECTORS).sha256());
        assertSameVectors(a.memory(), pgMemory);
        assertFindsItsOwnVector(pgMemory, "item-00007");

        StateCopy.Report again = copy(a.state(), a.memory(), pg, pgMemory, "copy-2");
        assertThat(again.mismatches()).isEmpty();
        assertThat(again.loaded().get(Part.MEMORY).written()).as("a re-run writes nothing").isZero();
        assertThat(pgEmbedder.texts.get()).isZero();

        // Back onto files, in an empty installation, the source read from its tables (no projection).
        var backEmbedder = new CountingEmbedder("test-word-hash-32");
        Install c = fileInstall("c", backEmbedder);
        var sourceEmbedder = new CountingEmbedder("test-word-hash-32");
        StateCopy.Report toFile = copy(pg, fromTables(sourceEmbedder), c.state(), c.memory(), "copy-3");
        assertThat(toFile.mismatches()).isEmpty();
        assertThat(backEmbedder.texts.get() + sourceEmbedder.texts.get()).as("texts embedded for the copy back to files").isZero();
        assertThat(toFile.loaded().get(Part.MEMORY_VECTORS).written()).isEqualTo(ITEMS);
        assertThat(toFile.source().get(Part.MEMORY).sha256()).as("the tables export as the file installation did")
                .isEqualTo(toPg.source().get(Part.MEMORY).sha256());
        assertThat(toFile.source().get(Part.MEMORY_VECTORS).sha256()).isEqualTo(toPg.source().get(Part.MEMORY_VECTORS).sha256());
        assertSameMemory(a.memory(), c.memory());
        assertSameVectors(pgMemory, c.memory());
        assertFindsItsOwnVector(c.memory(), "item-00014");
    }

    /** {@code store} seen through its port, with a count of the calls of each method. */
    private static MemoryStore counting(MemoryStore store, Map<String, AtomicLong> calls) {
        return (MemoryStore) java.lang.reflect.Proxy.newProxyInstance(MemoryStore.class.getClassLoader(),
                new Class<?>[] {MemoryStore.class}, (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), m -> new AtomicLong()).incrementAndGet();
                    try {
                        return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static long calls(Map<String, AtomicLong> calls, String method) {
        return calls.getOrDefault(method, new AtomicLong()).get();
    }

    @Test
    void aTargetHoldingPartOfTheSourceGetsOnlyWhatItLacksCheckedABatchAtATime() {
        Install a = fileInstall("a", new CountingEmbedder("test-word-hash-32"));
        populate(a.memory());
        var pgEmbedder = new CountingEmbedder("test-word-hash-32");
        PostgresStateBackend pg = postgresState();
        PostgresMemoryStore pgMemory = postgresMemory(pgEmbedder, "projection-1");
        assertThat(copy(a.state(), a.memory(), pg, pgMemory, "copy-1").mismatches()).isEmpty();
        // The target loses 600 items (a range crossing a batch boundary) and one item is changed there.
        for (int i = 700; i < 1_300; i++) assertThat(pgMemory.deleteItem(String.format("item-%05d", i))).isTrue();
        MemoryItem original = a.memory().item("item-02000").orElseThrow();
        pgMemory.putItems(List.of(new MemoryItem(original.id(), original.sourceResourceId(), "changed in the target",
                original.category(), original.confidence(), original.metadata(), original.scope(), original.createdAt())));
        long embeddedBefore = pgEmbedder.texts.get();

        var calls = new java.util.concurrent.ConcurrentHashMap<String, AtomicLong>();
        StateCopy.Report again = copy(a.state(), a.memory(), pg, counting(pgMemory, calls), "copy-2");

        assertThat(again.mismatches()).as("the target holds the source's content again").isEmpty();
        StateImporter.PartResult memory = again.loaded().get(Part.MEMORY);
        assertThat(memory.written()).as("the missing items and the changed one").isEqualTo(601);
        assertThat(memory.present()).as("the other items, the resource, both categories").isEqualTo(ITEMS - 601 + 3);
        assertThat(again.loaded().get(Part.MEMORY_VECTORS).written()).as("with the backup's vectors").isEqualTo(601);
        assertThat(pgEmbedder.texts.get()).isEqualTo(embeddedBefore);
        assertThat(pgMemory.item("item-02000")).contains(original);
        assertSameVectors(a.memory(), pgMemory);
        assertThat(calls(calls, "itemsById")).as("one lookup per batch of 1,000").isEqualTo((ITEMS + 999) / 1_000);
        assertThat(calls(calls, "resourcesById")).isEqualTo(1);
        assertThat(calls(calls, "item") + calls(calls, "resource")).as("no lookup one record at a time").isZero();
    }

    private static void assertSameMemory(MemoryStore a, MemoryStore b) {
        assertThat(b.resources()).isEqualTo(a.resources());
        assertThat(b.allItems()).containsExactlyInAnyOrderElementsOf(a.allItems());
        assertThat(b.categories(ALICE)).isEqualTo(a.categories(ALICE));
    }

    @Test
    void theTablesExportAsTheProjectionShowsThemAsOfTheSnapshot() {
        var embedder = new CountingEmbedder("test-word-hash-32");
        PostgresMemoryStore pgMemory = postgresMemory(embedder, "projection-1");
        populate(pgMemory);
        // An item of a category without a row in another scope, and a row of a scope without items or resources.
        Scope bob = Scope.parse("user:bob");
        pgMemory.putItems(List.of(new MemoryItem("bob-1", null, "Bob owns a boat", "Possessions", 1.0, Map.of(), bob,
                Instant.parse("2026-03-02T10:00:00Z"))));
        pgMemory.putCategory(new Category("hobbies", "Nobody's", "", 0, null, Scope.parse("user:nobody")));
        pgMemory.flush();
        PostgresStateBackend pg = postgresState();

        try (StateSnapshot snapshot = pg.snapshot(definitions, loader)) {
            MemorySnapshot tables = snapshot.memory(embedder).orElseThrow();
            // written after the snapshot opened: not part of it
            pgMemory.putItems(List.of(new MemoryItem("late", null, "Written later", "preferences", 1.0, Map.of(), ALICE, Instant.now())));
            pgMemory.putCategory(new Category("preferences", "changed later", "", 0, null, ALICE));
            BackupWriter.Result fromTables = new BackupWriter().write(snapshot, tables, dir.resolve("tables"));
            assertThat(fromTables.records(Part.MEMORY)).isEqualTo(fromTablesRecords(ITEMS));
            assertThat(fromTables.parts().get(Part.MEMORY_VECTORS).counts()).containsEntry("items_without_vector", 0L);

            // The same memory before the later writes, exported through the store's port (its projection).
            pgMemory.deleteItem("late");
            pgMemory.putCategory(new Category("preferences", "What Alice likes", "- green tea", 0,
                    Instant.parse("2026-03-01T10:00:00.123456789Z"), ALICE));
            try (StateSnapshot again = pg.snapshot(definitions, loader)) {
                BackupWriter.Result fromPort = new BackupWriter().write(again, MemorySnapshot.of(pgMemory), dir.resolve("port"));
                assertThat(fromTables.parts().get(Part.MEMORY).sha256()).isEqualTo(fromPort.parts().get(Part.MEMORY).sha256());
                assertThat(fromTables.parts().get(Part.MEMORY_VECTORS).sha256())
                        .isEqualTo(fromPort.parts().get(Part.MEMORY_VECTORS).sha256());
            }
        }
        assertThat(pgMemory.categories(bob)).extracting(Category::name).containsExactly("possessions");
        assertThat(embedder.texts.get()).as("only the test's own writes were embedded").isEqualTo(ITEMS + 2);

        // Read with another model (no store opened, so nothing refuses it): the items go without their vectors.
        try (StateSnapshot snapshot = pg.snapshot(definitions, loader)) {
            var other = new CountingEmbedder("another-model-32");
            BackupWriter.Result withOther = new BackupWriter().write(snapshot, snapshot.memory(other).orElseThrow(), dir.resolve("other"));
            assertThat(withOther.records(Part.MEMORY)).isEqualTo(fromTablesRecords(ITEMS));
            assertThat(withOther.records(Part.MEMORY_VECTORS)).as("no vectors of another model").isZero();
            assertThat(withOther.parts().get(Part.MEMORY_VECTORS).counts()).containsEntry("items_without_vector", (long) ITEMS + 1);
            assertThat(other.texts.get()).isZero();

            // The dimension comes from the stored vectors: the model is asked (loaded) only when there are none.
            MemorySnapshot named = snapshot.memory("test-word-hash-32", () -> {
                throw new AssertionError("the model was asked for its dimension");
            }).orElseThrow();
            assertThat(named.dimension()).isEqualTo(HashEmbedder.DIMENSION);
            assertThat(snapshot.memory("another-model-32", () -> 77).orElseThrow().dimension()).isEqualTo(77);
        }
    }

    /** 1 resource, the items (and Bob's), 3 categories. */
    private static long fromTablesRecords(int items) { return 1 + items + 1 + 3; }

    @Test
    void withAnotherModelTheItemsAreEmbeddedAgainAndTheOutputSaysSo() {
        Install a = fileInstall("a", new CountingEmbedder("test-word-hash-32"));
        populate(a.memory());
        var other = new CountingEmbedder("another-model-32");
        PostgresStateBackend pg = postgresState();
        PostgresMemoryStore pgMemory = postgresMemory(other, "projection-1");

        StateCopy.Report report = copy(a.state(), a.memory(), pg, pgMemory, "copy-1");

        assertThat(report.mismatches()).as("vectors of two models are not compared").isEmpty();
        assertThat(other.texts.get()).isEqualTo(ITEMS);
        StateImporter.PartResult vectors = report.loaded().get(Part.MEMORY_VECTORS);
        assertThat(vectors.written()).isZero();
        assertThat(vectors.note()).contains(ITEMS + " item(s) embedded again with another-model-32")
                .contains("the backup's vectors are of test-word-hash-32");
        assertThat(StateCopy.comparableVectors(report.source().get(Part.MEMORY_VECTORS), report.target().get(Part.MEMORY_VECTORS))).isFalse();
    }

    @Test
    void aBackupRestoresWithItsVectorsAndOneWithoutVectorsIsEmbedded() throws Exception {
        Install a = fileInstall("a", new CountingEmbedder("test-word-hash-32"));
        populate(a.memory());
        Path backup = dir.resolve("backup");
        try (StateSnapshot snapshot = a.state().snapshot(definitions, loader)) {
            BackupWriter.Result written = new BackupWriter().write(snapshot, MemorySnapshot.of(a.memory()), backup);
            assertThat(written.records(Part.MEMORY_VECTORS)).isEqualTo(ITEMS);
        }
        var pgEmbedder = new CountingEmbedder("test-word-hash-32");
        PostgresStateBackend pg = postgresState();
        PostgresMemoryStore pgMemory = postgresMemory(pgEmbedder, "projection-1");
        Map<Part, StateImporter.PartResult> restored = new StateImporter().load(backup, pg.stores(definitions, loader, pgMemory));
        assertThat(restored.get(Part.MEMORY).written()).isEqualTo(ITEMS + 2); // items, the resource, the category
        assertThat(pgEmbedder.texts.get()).isZero();
        assertSameVectors(a.memory(), pgMemory);

        // An older backup: no vectors file, nor its manifest entry.
        Path old = dir.resolve("old-backup");
        Files.createDirectories(old);
        try (var files = Files.list(backup)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(Part.MEMORY_VECTORS.file())) Files.copy(f, old.resolve(f.getFileName()));
            }
        }
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(old.resolve("MANIFEST.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("stores")).remove(Part.MEMORY_VECTORS.key());
        Files.writeString(old.resolve("MANIFEST.json"), manifest.toString());
        Install c = fileInstall("c", new CountingEmbedder("test-word-hash-32"));
        var cEmbedder = (CountingEmbedder) c.memory().embedder();
        Map<Part, StateImporter.PartResult> fromOld = new StateImporter().load(old, c.state().stores(definitions, loader, c.memory()));
        c.memory().flush();
        assertThat(cEmbedder.texts.get()).isEqualTo(ITEMS);
        assertThat(fromOld.get(Part.MEMORY_VECTORS).note()).contains("the backup holds no vectors");
        assertSameVectors(a.memory(), c.memory()); // the same model computes the same vectors
    }
}
