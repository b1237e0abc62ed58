package io.sigil.postgres;

import io.sigil.errors.MemoryError;
import io.sigil.errors.StateError;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This process's search index over the memory tables: a local {@link MemoryStore} (the embedded Lucene store, in a
 * directory of its own) holding every item with its stored vector and every category. It is rebuilt from one
 * consistent snapshot of the tables when opened, then follows {@code memory_changes}: a {@link PositionWatch}
 * LISTENs on {@code sigil_memory} and one thread applies each change after the last applied position (the current
 * row of the item or category, or its deletion), so every process sees every other's writes shortly after they
 * commit. A lost connection is retried with back-off and caught up by position.
 */
final class MemoryProjection implements AutoCloseable {
    static final String CHANNEL = "sigil_memory";
    static final String HEAD = "SELECT COALESCE(MAX(position), 0) FROM memory_changes";
    private static final Logger log = LoggerFactory.getLogger(MemoryProjection.class);
    private static final int PAGE = 1000;

    private final PostgresDatabase db;
    private final Embedder embedder;
    private final MemoryStore local;
    private final PositionWatch watch;
    private final Object progress = new Object();
    private final Thread thread;
    private volatile long applied;
    private volatile RuntimeException failure;
    private volatile boolean closed;

    private MemoryProjection(PostgresDatabase db, Embedder embedder, MemoryStore local, long applied) {
        this.db = db;
        this.embedder = embedder;
        this.local = local;
        this.applied = applied;
        this.watch = new PositionWatch(db, applied, CHANNEL, HEAD, "sigil-pg-memory-listen");
        this.thread = Thread.ofPlatform().daemon().name("sigil-pg-memory-follow").start(this::follow);
    }

    /** Loads everything the tables hold into {@code local} (empty) and starts following the change log. */
    static MemoryProjection rebuild(PostgresDatabase db, Embedder embedder, MemoryStore local) {
        long head = load(db, embedder, local);
        return new MemoryProjection(db, embedder, local, head);
    }

    /** The store searches run on. */
    MemoryStore local() { return local; }

    /** The last change-log position this projection shows. */
    long applied() { return applied; }

    /** Why following stopped working (null while it works). */
    RuntimeException failure() { return failure; }

    /**
     * Returns once the projection shows every change up to {@code position}; a clear error when it has made no
     * progress for {@code timeout} (a bulk load may take longer, as long as the projection keeps advancing).
     */
    void awaitApplied(long position, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = applied;
        synchronized (progress) {
            while (applied < position) {
                if (applied > seen) {
                    seen = applied;
                    deadline = System.nanoTime() + timeout.toNanos();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    RuntimeException f = failure;
                    if (f instanceof StateError s) throw s;
                    throw new StateError("the memory search index of this process is behind the database (at change "
                            + applied + ", waiting for " + position + ")" + (f == null ? "" : ": " + f.getMessage()),
                            "check that PostgreSQL is reachable; the index catches up by itself", Map.of(), true, f);
                }
                watch.advance(position); // our own write: no need to wait for its notification
                try {
                    progress.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MemoryError("Interrupted while waiting for memory writes to be indexed");
                }
            }
        }
    }

    /** One REPEATABLE READ snapshot: the head position and every category and item as of it. */
    private static long load(PostgresDatabase db, Embedder embedder, MemoryStore local) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long head = PositionWatch.readHead(c, HEAD);
                checkModel(c, embedder);
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT " + MemoryRows.CATEGORY_COLUMNS + " FROM categories")) {
                    while (rs.next()) local.putCategory(MemoryRows.category(rs));
                }
                try (Statement st = c.createStatement()) {
                    st.setFetchSize(PAGE);
                    try (ResultSet rs = st.executeQuery("SELECT " + MemoryRows.ITEM_COLUMNS + ", embedding FROM memory_items")) {
                        var items = new ArrayList<MemoryItem>(PAGE);
                        var vectors = new ArrayList<float[]>(PAGE);
                        while (rs.next()) {
                            items.add(MemoryRows.item(rs));
                            vectors.add(MemoryRows.decode(rs.getBytes("embedding")));
                            if (items.size() == PAGE) {
                                local.putItems(items, vectors);
                                items.clear();
                                vectors.clear();
                            }
                        }
                        if (!items.isEmpty()) local.putItems(items, vectors);
                    }
                }
                c.commit();
                local.flush();
                return head;
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("load memory into this process's search index", e);
        }
    }

    /** Vectors of another model cannot be compared with this one's queries: say how to re-embed them. */
    private static void checkModel(Connection c, Embedder embedder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT embedding_model, COUNT(*) FROM memory_items WHERE embedding_model <> ? GROUP BY 1 LIMIT 1")) {
            ps.setString(1, embedder.model());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new MemoryError("The memory in PostgreSQL holds " + rs.getLong(2) + " item(s) embedded with '"
                            + rs.getString(1) + "' but the configured model is '" + embedder.model() + "'",
                            "run `sigil memory reindex` to re-embed them with the configured model, or set "
                                    + "memory.embedding_model back to " + rs.getString(1),
                            Map.of("stored_model", rs.getString(1), "configured_model", embedder.model()), false, null);
                }
            }
        }
    }

    private void follow() {
        long backoff = 100;
        while (!closed) {
            try {
                if (watch.known() <= applied) {
                    watch.await(applied, Duration.ofSeconds(1));
                    continue;
                }
                catchUp();
                if (failure != null) log.info("the memory search index follows PostgreSQL again");
                failure = null;
                backoff = 100;
            } catch (InterruptedException e) {
                if (closed) return;
            } catch (RuntimeException e) {
                if (closed) return;
                if (failure == null) log.warn("the memory search index cannot follow PostgreSQL ({}); retrying", e.getMessage());
                failure = e;
                sleep(backoff);
                backoff = Math.min(2_000, backoff * 2);
            }
        }
    }

    /** Applies every change after {@link #applied}, a page at a time, making each page searchable before the next. */
    private void catchUp() {
        while (!closed) {
            List<String> items = new ArrayList<>();
            Set<String> categories = new LinkedHashSet<>();
            long last = applied;
            try (Connection c = db.connection()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT position, kind, key FROM memory_changes WHERE position > ? ORDER BY position LIMIT " + PAGE)) {
                    ps.setLong(1, applied);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            last = rs.getLong(1);
                            if (rs.getString(2).equals("item")) items.add(rs.getString(3));
                            else categories.add(rs.getString(3));
                        }
                    }
                }
                if (last == applied) return;
                applyCategories(c, categories);
                applyItems(c, new LinkedHashSet<>(items));
            } catch (SQLException e) {
                throw SqlErrors.failed("follow the memory change log", e);
            }
            local.flush();
            synchronized (progress) {
                applied = last;
                progress.notifyAll();
            }
        }
    }

    /** Puts the current row of each item, deletes the items that no longer have one (idempotent either way). */
    private void applyItems(Connection c, Set<String> ids) throws SQLException {
        if (ids.isEmpty()) return;
        var items = new ArrayList<MemoryItem>();
        var vectors = new ArrayList<float[]>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + MemoryRows.ITEM_COLUMNS
                + ", embedding, embedding_model FROM memory_items WHERE item_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getString("embedding_model").equals(embedder.model())) {
                        throw new MemoryError("Memory item " + rs.getString("item_id") + " was embedded with '"
                                + rs.getString("embedding_model") + "', this process searches with '" + embedder.model() + "'",
                                "give every Sigil process the same memory.embedding_model; `sigil memory reindex` re-embeds");
                    }
                    items.add(MemoryRows.item(rs));
                    vectors.add(MemoryRows.decode(rs.getBytes("embedding")));
                }
            }
        }
        if (!items.isEmpty()) local.putItems(items, vectors);
        var present = new LinkedHashSet<String>();
        for (MemoryItem i : items) present.add(i.id());
        for (String id : ids) if (!present.contains(id)) local.deleteItem(id);
    }

    private void applyCategories(Connection c, Set<String> keys) throws SQLException {
        for (String key : keys) {
            int slash = key.lastIndexOf('/');
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + MemoryRows.CATEGORY_COLUMNS + " FROM categories WHERE scope = ? AND name = ?")) {
                ps.setString(1, key.substring(0, slash));
                ps.setString(2, key.substring(slash + 1));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) local.putCategory(MemoryRows.category(rs));
                }
            }
        }
    }

    /** Whether the LISTEN connection is up. */
    boolean listening() { return watch.listening(); }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        watch.close(); // wakes the follower; never interrupt it: an interrupt closes the local store's files
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (progress) {
            progress.notifyAll();
        }
        local.close();
    }
}
