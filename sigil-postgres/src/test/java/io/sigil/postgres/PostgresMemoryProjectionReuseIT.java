package io.sigil.postgres;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;
import io.sigil.memory.SharedEmbedder;
import io.sigil.memory.lucene.LuceneMemoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The projection directory kept across restarts: reused and caught up when it belongs to the same database and
 * model and the change log still holds what it misses; rebuilt when it is unfinished, of another database or model,
 * or behind the trimmed start; and a running projection that finds itself behind the trimmed start loads the tables
 * again instead of missing changes.
 */
class PostgresMemoryProjectionReuseIT {
    private static final Scope ALICE = Scope.user("alice");
    private static final MemoryChangeLog.Retention NEVER = null;
    @TempDir
    Path dataDir;
    private final Embedder embedder = SharedEmbedder.get();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<TestDatabase> databases = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
        for (TestDatabase d : databases) d.close();
    }

    private TestDatabase database(String purpose) {
        var d = TestDatabase.create("pgproj_" + purpose);
        databases.add(d);
        return d;
    }

    private Path projections() { return dataDir.resolve("projections"); }

    /** What PostgresStateBackend.memory does: the best directory of this database and model, reused if it can be. */
    private PostgresMemoryStore store(TestDatabase db, Embedder e) {
        var identity = new LocalIndexDirectory.Identity(MemoryChangeLog.read(db.database()).databaseId(), e.model(), e.dimension());
        var dir = LocalIndexDirectory.acquire(projections(), identity);
        Function<Path, MemoryStore> local = p -> LuceneMemoryStore.open(p, e, 0);
        return PostgresMemoryStore.open(db.database(), e, dir, local, NEVER);
    }

    private static MemoryItem item(String id, String content) {
        return new MemoryItem(id, null, content, "facts", 0.9, Map.of(), ALICE, null);
    }

    private static List<String> ids(MemoryStore store) {
        return store.items(SearchFilter.of(ALICE), 100).stream().map(MemoryItem::id).sorted().toList();
    }

    @Test
    void aRestartReusesTheDirectoryAndCatchesUpWithWhatOthersWroteMeanwhile() {
        TestDatabase db = database("reuse");
        PostgresMemoryStore first = store(db, embedder);
        first.putItems(List.of(item("i1", "The office dog is called Biscuit"), item("i2", "Rent is due on the 3rd")));
        first.flush();
        assertThat(first.status()).containsEntry("index_opened", "rebuilt");
        first.close();
        assertThat(indexDirectories()).hasSize(1);

        // another process writes and deletes while this one is down
        try (PostgresMemoryStore other = PostgresMemoryStore.open(db.database(), embedder,
                LuceneMemoryStore.open(dataDir.resolve("other"), embedder, 0), () -> { })) {
            other.putItems(List.of(item("i3", "The printer on floor 2 is broken")));
            assertThat(other.deleteItem("i1")).isTrue();
        }

        PostgresMemoryStore again = store(db, embedder);
        open.add(again);
        assertThat(again.status()).containsEntry("index_opened", "reused");
        assertThat(ids(again)).containsExactly("i2", "i3");
        assertThat(again.vectorSearch(embedder.embed("which printer does not work?"), SearchFilter.of(ALICE), 1))
                .extracting(h -> h.item().id()).containsExactly("i3");
        assertThat(indexDirectories()).as("the same directory, not a new one").hasSize(1);
    }

    @Test
    void aRecordedPositionBehindTheIndexIsCaughtUpFromWithoutLossOrDuplicates() throws IOException {
        TestDatabase db = database("crash");
        PostgresMemoryStore first = store(db, embedder);
        first.putItems(List.of(item("i1", "Alpha"), item("i2", "Beta")));
        long early = first.lastWrittenPosition();
        first.putItems(List.of(item("i2", "Beta, corrected"), item("i3", "Gamma")));
        first.deleteItem("i1");
        first.flush();
        first.close();
        // what kill -9 between an index write and the next record leaves: the recorded position is older
        setRecordedPosition(early);

        PostgresMemoryStore again = store(db, embedder);
        open.add(again);
        assertThat(again.status()).containsEntry("index_opened", "reused");
        assertThat(ids(again)).containsExactly("i2", "i3");
        assertThat(again.item("i2")).map(MemoryItem::content).contains("Beta, corrected");
        assertThat(again.countItems(SearchFilter.of(ALICE), 0)).isEqualTo(2);
    }

    @Test
    void anUnfinishedDirectoryOrOneOfAnotherModelIsRebuiltAndOneOfAnotherDatabaseIsLeftAlone() throws IOException {
        TestDatabase db = database("foreign");
        PostgresMemoryStore first = store(db, embedder);
        first.putItems(List.of(item("i1", "Alpha")));
        first.close();
        TestDatabase otherDb = database("foreign2");
        PostgresMemoryStore other = store(otherDb, embedder);
        assertThat(other.status()).as("a directory of another database is never reused").containsEntry("index_opened", "rebuilt");
        assertThat(ids(other)).isEmpty();
        other.close();
        assertThat(indexDirectories()).as("each database keeps its own").hasSize(2);

        for (Path d : indexDirectories()) Files.delete(d.resolve("projection.properties")); // a rebuild cut short
        PostgresMemoryStore again = store(db, embedder);
        assertThat(again.status()).containsEntry("index_opened", "rebuilt");
        assertThat(ids(again)).containsExactly("i1");
        again.close();
        assertThat(indexDirectories()).as("the unfinished directories were deleted").hasSize(1);

        Embedder renamed = new Embedder() { // the same vectors under another model name
            public String model() { return "another-model"; }
            public int dimension() { return embedder.dimension(); }
            public List<float[]> embed(List<String> texts) { return embedder.embed(texts); }
        };
        MemoryReembedder.run(db.database(), renamed, true);
        PostgresMemoryStore newModel = store(db, renamed);
        open.add(newModel);
        assertThat(newModel.status()).containsEntry("index_opened", "rebuilt");
        assertThat(ids(newModel)).containsExactly("i1");
        assertThat(indexDirectories()).as("the previous model's directory was deleted").hasSize(1);
    }

    @Test
    void trimmingDeletesOldChangesAndAProjectionBehindTheTrimmedStartRebuildsAtOpen() throws IOException {
        TestDatabase db = database("trim");
        PostgresMemoryStore first = store(db, embedder);
        first.putItems(List.of(item("i1", "Alpha")));
        long early = first.lastWrittenPosition();
        first.putItems(List.of(item("i2", "Beta"), item("i3", "Gamma")));
        first.deleteItem("i3");
        long head = first.lastWrittenPosition();
        first.flush();
        first.close();
        setRecordedPosition(early); // this directory misses the changes after `early`

        var kept = MemoryChangeLog.trim(db.database(), new MemoryChangeLog.Retention(Duration.ofDays(1), 0, Duration.ZERO));
        assertThat(kept.deleted()).as("nothing is older than a day").isZero();
        var trimmed = MemoryChangeLog.trim(db.database(), new MemoryChangeLog.Retention(Duration.ZERO, 1, Duration.ZERO));
        assertThat(trimmed.trimmedThrough()).isEqualTo(head - 1);
        assertThat(trimmed.deleted()).isEqualTo(head - 1);
        assertThat(MemoryChangeLog.read(db.database())).satisfies(s -> {
            assertThat(s.trimmedThrough()).isEqualTo(head - 1);
            assertThat(s.head()).isEqualTo(head);
        });

        PostgresMemoryStore again = store(db, embedder);
        open.add(again);
        assertThat(again.status()).containsEntry("index_opened", "rebuilt");
        assertThat(ids(again)).containsExactly("i1", "i2");
    }

    @Test
    void aRunningProjectionBehindTheTrimmedStartLoadsTheTablesAgain() throws SQLException {
        TestDatabase db = database("trimlive");
        PostgresMemoryStore store = store(db, embedder);
        open.add(store);
        store.putItems(List.of(item("i1", "Alpha"), item("i2", "Beta")));
        store.flush();
        // changes this projection never saw (no notification), then trimmed away before it reads them
        try (Connection c = db.database().connection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM memory_items WHERE item_id = 'i1'");
            st.execute("INSERT INTO memory_changes (position, kind, key) VALUES (nextval('memory_change_position'), 'item', 'i1')");
        }
        MemoryChangeLog.trim(db.database(), new MemoryChangeLog.Retention(Duration.ZERO, 0, Duration.ZERO));
        assertThat(MemoryChangeLog.read(db.database()).head()).as("an empty log's head is its trimmed start")
                .isGreaterThan(store.lastWrittenPosition());

        store.flush(); // waits for the head: reached only by loading the tables again
        assertThat(ids(store)).containsExactly("i2");
        assertThat(store.keywordSearch("Alpha", SearchFilter.of(ALICE), 5)).isEmpty();
    }

    @Test
    void aFollowingProcessTrimsTheLogByItsRetention() throws SQLException {
        TestDatabase db = database("trimauto");
        var identity = new LocalIndexDirectory.Identity(MemoryChangeLog.read(db.database()).databaseId(),
                embedder.model(), embedder.dimension());
        var everything = new MemoryChangeLog.Retention(Duration.ZERO, 1, Duration.ofMillis(100));
        PostgresMemoryStore store = PostgresMemoryStore.open(db.database(), embedder,
                LocalIndexDirectory.acquire(projections(), identity), p -> LuceneMemoryStore.open(p, embedder, 0), everything);
        open.add(store);
        store.putItems(List.of(item("i1", "Alpha"), item("i2", "Beta"), item("i3", "Gamma")));
        store.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (MemoryChangeLog.read(db.database()).trimmedThrough() < 2 && System.nanoTime() < deadline) {
            sleep(100);
        }
        assertThat(MemoryChangeLog.read(db.database()).trimmedThrough()).as("all but the newest change trimmed").isEqualTo(2);
        try (Connection c = db.database().connection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM memory_changes")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
        assertThat(ids(store)).as("trimming loses nothing the projection shows").containsExactly("i1", "i2", "i3");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<Path> indexDirectories() {
        try (Stream<Path> s = Files.list(projections())) {
            return s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void setRecordedPosition(long position) throws IOException {
        List<Path> dirs = indexDirectories();
        assertThat(dirs).hasSize(1);
        Path meta = dirs.getFirst().resolve("projection.properties");
        var p = new Properties();
        try (var r = Files.newBufferedReader(meta)) {
            p.load(r);
        }
        assertThat(Long.parseLong(p.getProperty("position"))).isGreaterThan(position);
        p.setProperty("position", Long.toString(position));
        try (var w = Files.newBufferedWriter(meta)) {
            p.store(w, null);
        }
    }
}
