package io.sigil.postgres;

import io.sigil.memory.Category;
import io.sigil.memory.Embedder;
import io.sigil.memory.Hit;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;
import io.sigil.memory.SearchFilter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Memory with PostgreSQL as the source of truth ({@code resources}, {@code memory_items} with their vectors,
 * {@code categories}), shared by every Sigil process on the database. A write is one transaction that also appends
 * to {@code memory_changes} and notifies {@code sigil_memory}; it is durable when it returns. Searches, listings and
 * counts run on this process's {@link MemoryProjection} (Lucene, rebuilt at open, following the change log);
 * single records and deletions are answered by the database itself. Items are embedded on the writer's thread, so
 * the stored vector is the one every process searches.
 */
public final class PostgresMemoryStore implements MemoryStore {
    /** Serializes memory writers between taking a change position and commit (see V3__memory.sql). */
    private static final long WRITE_LOCK = 0x5369_6769_6C4DL; // "SigilM"
    private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private final PostgresDatabase db;
    private final Embedder embedder;
    private final MemoryProjection projection;
    private final Runnable onClose;
    private final AtomicLong lastWritten = new AtomicLong();

    private PostgresMemoryStore(PostgresDatabase db, Embedder embedder, MemoryProjection projection, Runnable onClose) {
        this.db = db;
        this.embedder = embedder;
        this.projection = projection;
        this.onClose = onClose;
    }

    /**
     * Opens memory on {@code db}, loading it into {@code local} (an empty local store with the same embedder that
     * becomes this process's search index); {@code onClose} runs after it is closed (e.g. to delete its directory).
     */
    public static PostgresMemoryStore open(PostgresDatabase db, Embedder embedder, MemoryStore local, Runnable onClose) {
        try {
            return new PostgresMemoryStore(db, embedder, MemoryProjection.rebuild(db, embedder, local), onClose);
        } catch (RuntimeException e) {
            local.close();
            onClose.run();
            throw e;
        }
    }

    /**
     * Opens memory on {@code db} with this process's search index in a directory of its own under
     * {@code projections} (opened by {@code openLocal}), reusing the one a previous run left when it belongs to this
     * database and model; the change log is trimmed by the database's {@code memory_changes_*} settings.
     */
    public static PostgresMemoryStore open(PostgresDatabase db, Embedder embedder, Path projections,
                                           Function<Path, MemoryStore> openLocal) {
        var identity = new LocalIndexDirectory.Identity(MemoryChangeLog.read(db).databaseId(), embedder.model(),
                embedder.dimension());
        var d = db.settings();
        return open(db, embedder, LocalIndexDirectory.acquire(projections, identity), openLocal, new MemoryChangeLog.Retention(
                d.memoryChangesRetention(), d.memoryChangesKeep(), MemoryChangeLog.Retention.DEFAULTS.every()));
    }

    /**
     * Opens memory on {@code db} with this process's search index in {@code dir} (opened by {@code openLocal}),
     * reused from a previous run when it can be ({@link MemoryProjection#open}); the change log is trimmed by
     * {@code retention}. Closing releases {@code dir} and keeps it for the next start.
     */
    static PostgresMemoryStore open(PostgresDatabase db, Embedder embedder, LocalIndexDirectory dir,
                                    Function<Path, MemoryStore> openLocal, MemoryChangeLog.Retention retention) {
        try {
            return new PostgresMemoryStore(db, embedder, MemoryProjection.open(db, embedder, dir, openLocal, retention),
                    dir::close);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    @Override
    public Embedder embedder() { return embedder; }

    // ---------------------------------------------------------------- writes

    @Override
    public void putResource(Resource resource) {
        write("store a memory resource", c -> {
            try (PreparedStatement ps = c.prepareStatement(MemoryRows.UPSERT_RESOURCE)) {
                MemoryRows.bindResource(ps, resource);
                ps.executeUpdate();
            }
            return List.of();
        });
    }

    @Override
    public void putItems(List<MemoryItem> items) {
        if (items.isEmpty()) return;
        putItems(items, embedder.embed(items.stream().map(MemoryItem::content).toList()));
    }

    @Override
    public void putItems(List<MemoryItem> items, List<float[]> vectors) {
        if (vectors.size() != items.size()) {
            throw new IllegalArgumentException("one vector per item: " + items.size() + " items, " + vectors.size() + " vectors");
        }
        for (float[] v : vectors) {
            if (v.length != embedder.dimension()) {
                throw new IllegalArgumentException("a vector of " + v.length + " dimensions for a store of "
                        + embedder.dimension() + " (" + embedder.model() + ")");
            }
        }
        if (items.isEmpty()) return;
        lastWritten.accumulateAndGet(writeItems(db, embedder, items, vectors), Math::max);
    }

    @Override
    public boolean deleteItem(String id) {
        boolean[] deleted = new boolean[1];
        write("delete a memory item", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM memory_items WHERE item_id = ?")) {
                ps.setString(1, id);
                deleted[0] = ps.executeUpdate() > 0;
            }
            return deleted[0] ? List.of(new Change("item", id)) : List.of();
        });
        return deleted[0];
    }

    @Override
    public void putCategory(Category category) {
        write("store a memory category", c -> {
            try (PreparedStatement ps = c.prepareStatement(MemoryRows.UPSERT_CATEGORY)) {
                MemoryRows.bindCategory(ps, category);
                ps.executeUpdate();
            }
            return List.of(new Change("category", MemoryRows.categoryKey(category)));
        });
    }

    /** One change-log row: what the projections must re-read. */
    private record Change(String kind, String key) { }

    private interface Work { List<Change> apply(Connection c) throws SQLException; }

    /**
     * Runs {@code work} in one transaction with its change-log rows and the notification, under the write lock so
     * that positions commit in order; returns once committed.
     */
    private void write(String action, Work work) {
        long position = write(db, action, work);
        if (position > 0) lastWritten.accumulateAndGet(position, Math::max);
    }

    /** Upserts items with their vectors as one logged transaction (also for {@link MemoryReembedder}). */
    static long writeItems(PostgresDatabase db, Embedder embedder, List<MemoryItem> items, List<float[]> vectors) {
        return write(db, "store memory items", c -> {
            var changes = new ArrayList<Change>(items.size());
            for (MemoryItem item : items) changes.add(new Change("item", item.id()));
            if (items.size() >= MemoryItemCopy.MIN_ROWS) {
                MemoryItemCopy.upsert(c, items, vectors, embedder.model());
                return changes;
            }
            try (PreparedStatement ps = c.prepareStatement(MemoryRows.UPSERT_ITEM)) {
                for (int i = 0; i < items.size(); i++) {
                    MemoryRows.bindItem(ps, items.get(i), vectors.get(i), embedder.model());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return changes;
        });
    }

    /** Returns the position of the last change logged (0 when none). */
    private static long write(PostgresDatabase db, String action, Work work) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, WRITE_LOCK);
                    lock.execute();
                }
                List<Change> changes = work.apply(c);
                long position = changes.isEmpty() ? 0 : logChanges(c, changes);
                c.commit();
                return position;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.failed(action, e);
        }
    }

    private static long logChanges(Connection c, List<Change> changes) throws SQLException {
        var kinds = new String[changes.size()];
        var keys = new String[changes.size()];
        for (int i = 0; i < changes.size(); i++) {
            kinds[i] = changes.get(i).kind();
            keys[i] = changes.get(i).key();
        }
        long position;
        try (PreparedStatement ps = c.prepareStatement("""
                WITH logged AS (
                    INSERT INTO memory_changes (position, kind, key)
                    SELECT nextval('memory_change_position'), k, v FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS t(k, v, n)
                    ORDER BY n
                    RETURNING position)
                SELECT MAX(position) FROM logged""")) {
            ps.setArray(1, c.createArrayOf("text", kinds));
            ps.setArray(2, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + MemoryProjection.CHANNEL + "', ?)")) {
            ps.setString(1, Long.toString(position));
            ps.execute();
        }
        return position;
    }

    // ---------------------------------------------------------------- reads from the database

    @Override
    public Optional<Resource> resource(String id) {
        List<Resource> found = query("read a memory resource", "SELECT " + MemoryRows.RESOURCE_COLUMNS
                + " FROM resources WHERE resource_id = ?", ps -> ps.setString(1, id), MemoryRows::resource);
        return found.stream().findFirst();
    }

    @Override
    public List<Resource> resources() {
        return query("list memory resources", "SELECT " + MemoryRows.RESOURCE_COLUMNS
                + " FROM resources ORDER BY created_at, created_at_ns, resource_id", ps -> { }, MemoryRows::resource);
    }

    @Override
    public Optional<MemoryItem> item(String id) {
        List<MemoryItem> found = query("read a memory item", "SELECT " + MemoryRows.ITEM_COLUMNS
                + " FROM memory_items WHERE item_id = ?", ps -> ps.setString(1, id), MemoryRows::item);
        return found.stream().findFirst();
    }

    /** One query for the whole batch (a restore or a copy checks 1,000 items at a time). */
    @Override
    public Map<String, MemoryItem> itemsById(Collection<String> ids) {
        return byId("read memory items", "SELECT " + MemoryRows.ITEM_COLUMNS + " FROM memory_items WHERE item_id = ANY(?)",
                ids, MemoryRows::item, MemoryItem::id);
    }

    @Override
    public Map<String, Resource> resourcesById(Collection<String> ids) {
        return byId("read memory resources", "SELECT " + MemoryRows.RESOURCE_COLUMNS
                + " FROM resources WHERE resource_id = ANY(?)", ids, MemoryRows::resource, Resource::id);
    }

    private <T> Map<String, T> byId(String action, String sql, Collection<String> ids, Row<T> row, Function<T, String> id) {
        var out = new java.util.LinkedHashMap<String, T>();
        if (ids.isEmpty()) return out;
        for (T t : query(action, sql, ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ids.toArray())), row)) {
            out.put(id.apply(t), t);
        }
        return out;
    }

    /** Only vectors of this store's model: an item another model embedded (before a reindex) is left out. */
    @Override
    public Map<String, float[]> storedVectors(List<String> ids) {
        var out = new java.util.LinkedHashMap<String, float[]>();
        if (ids.isEmpty()) return out;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT item_id, embedding FROM memory_items WHERE item_id = ANY(?) AND embedding_model = ?")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            ps.setString(2, embedder.model());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), MemoryRows.decode(rs.getBytes(2)));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed("read memory item vectors", e);
        }
    }

    @Override
    public List<MemoryItem> allItems() {
        return query("list memory items", "SELECT " + MemoryRows.ITEM_COLUMNS
                + " FROM memory_items ORDER BY created_at, created_at_ns, item_id", ps -> { }, MemoryRows::item);
    }

    private interface Bind { void bind(PreparedStatement ps) throws SQLException; }

    private interface Row<T> { T read(ResultSet rs) throws SQLException; }

    private <T> List<T> query(String action, String sql, Bind bind, Row<T> row) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.bind(ps);
            ps.setFetchSize(1000);
            var out = new ArrayList<T>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed(action, e);
        }
    }

    // ---------------------------------------------------------------- reads from the projection

    @Override
    public List<MemoryItem> items(SearchFilter filter, int limit) { return projection.local().items(filter, limit); }

    @Override
    public List<Hit> keywordSearch(String query, SearchFilter filter, int k) {
        return projection.local().keywordSearch(query, filter, k);
    }

    @Override
    public List<Hit> vectorSearch(float[] queryVector, SearchFilter filter, int k) {
        return projection.local().vectorSearch(queryVector, filter, k);
    }

    @Override
    public List<Hit> fusedSearch(String query, float[] queryVector, SearchFilter filter, int depth, int k,
                                 BinaryOperator<List<Hit>> fuse) {
        return projection.local().fusedSearch(query, queryVector, filter, depth, k, fuse);
    }

    @Override
    public List<Hit> fusedSearch(String query, Supplier<float[]> queryVector, SearchFilter filter, int depth, int k,
                                 BinaryOperator<List<Hit>> fuse) {
        return projection.local().fusedSearch(query, queryVector, filter, depth, k, fuse);
    }

    @Override
    public long countItems(SearchFilter filter, long sinceEpochMillis) {
        return projection.local().countItems(filter, sinceEpochMillis);
    }

    @Override
    public Map<String, Long> itemCountsByCategory() { return projection.local().itemCountsByCategory(); }

    @Override
    public Optional<Category> category(Scope scope, String name) { return projection.local().category(scope, name); }

    @Override
    public List<Category> categories(Scope scope) { return projection.local().categories(scope); }

    // ---------------------------------------------------------------- visibility

    /** Waits until this process's index shows every write committed (by any process) before the call. */
    @Override
    public void flush() {
        long head;
        try (Connection c = db.connection()) {
            head = PositionWatch.readHead(c, MemoryProjection.HEAD);
        } catch (SQLException e) {
            throw SqlErrors.failed("read the memory change log", e);
        }
        awaitVisible(Math.max(head, lastWritten.get()), FLUSH_TIMEOUT);
    }

    /** Waits until this process's index shows the change-log position {@code position}. */
    public void awaitVisible(long position, Duration timeout) { projection.awaitApplied(position, timeout); }

    /** This process's search index (the local store searches run on), e.g. to measure it alone. */
    public MemoryStore index() { return projection.local(); }

    /** The change-log position of this store's newest write (0 before the first). */
    public long lastWrittenPosition() { return lastWritten.get(); }

    /** This process's index cannot follow the database (it is down), or its local store cannot index. */
    @Override
    public Optional<String> writeProblem() {
        RuntimeException f = projection.failure();
        if (f != null) return Optional.of("the memory index of this process cannot follow PostgreSQL: " + f.getMessage());
        return projection.local().writeProblem();
    }

    /** What status pages show: where memory lives and how far this process's index has followed it. */
    public Map<String, Object> status() {
        var m = new java.util.LinkedHashMap<String, Object>();
        m.put("backend", "postgres");
        m.put("embedding_model", embedder.model());
        m.put("index_position", projection.applied());
        m.put("index_opened", projection.start().name().toLowerCase(java.util.Locale.ROOT));
        m.put("index_listening", projection.listening());
        RuntimeException f = projection.failure();
        if (f != null) m.put("index_error", f.getMessage());
        return m;
    }

    @Override
    public void close() {
        try {
            projection.close();
        } finally {
            onClose.run();
        }
    }
}
