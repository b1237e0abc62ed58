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
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * This process's search index over the memory tables: a local {@link MemoryStore} (the embedded Lucene store, in a
 * directory of its own) holding every item with its stored vector and every category. It follows
 * {@code memory_changes}: a {@link PositionWatch} LISTENs on {@code sigil_memory} and one thread applies each change
 * after the last applied position (the current row of the item or category, or its deletion), so every process sees
 * every other's writes shortly after they commit. A lost connection is retried with back-off and caught up by
 * position.
 *
 * <p>At open it reuses the directory a previous run left ({@link LocalIndexDirectory}: same database and model)
 * and catches up from the position recorded there; it loads one consistent snapshot of the tables instead when
 * there is none, when the directory cannot be opened, or when the log was trimmed past that position. A running
 * projection that finds itself behind the trimmed start does the same in place (and deletes what the tables no
 * longer hold). The position is recorded at most once a second and at close, always after the index made the
 * changes durable.
 */
final class MemoryProjection implements AutoCloseable {
    static final String CHANNEL = "sigil_memory";
    /** The newest position; after a trim that emptied the log, the trimmed start. */
    static final String HEAD = "SELECT GREATEST(COALESCE(MAX(position), 0), "
            + "(SELECT trimmed_through FROM memory_change_log_state)) FROM memory_changes";
    private static final Logger log = LoggerFactory.getLogger(MemoryProjection.class);
    /**
     * Changes applied per round: a round's items go into the local store in one write, which becomes one Lucene
     * segment; pages of 1,000 during a bulk load left a hundred small segments per 100k items whose HNSW merges
     * cost more than indexing them. A single write's lag is one small page either way.
     */
    private static final int PAGE = 10_000;
    private static final long RECORD_EVERY_NANOS = 1_000_000_000L;

    /** Where the applied position is kept (nowhere for a projection that is rebuilt at every open). */
    interface Checkpoint { void record(long position); }

    /** How the projection came to be at open, for status pages and logs. */
    enum Start { REBUILT, REUSED }

    private final PostgresDatabase db;
    private final Embedder embedder;
    private final MemoryStore local;
    private final PositionWatch watch;
    private final Checkpoint checkpoint;
    private final MemoryChangeLog.Retention retention;
    private final Start start;
    private final Object progress = new Object();
    private Thread thread;
    private volatile long applied;
    private volatile RuntimeException failure;
    private volatile boolean closed;
    private long recorded;
    private long recordedAt = System.nanoTime();
    private long trimmedAt = System.nanoTime();

    private MemoryProjection(PostgresDatabase db, Embedder embedder, MemoryStore local, long applied,
                             Checkpoint checkpoint, MemoryChangeLog.Retention retention, Start start) {
        this.db = db;
        this.embedder = embedder;
        this.local = local;
        this.applied = applied;
        this.recorded = applied;
        this.checkpoint = checkpoint;
        this.retention = retention;
        this.start = start;
        this.watch = new PositionWatch(db, applied, CHANNEL, HEAD, "sigil-pg-memory-listen");
    }

    private MemoryProjection startFollowing() {
        this.thread = Thread.ofPlatform().daemon().name("sigil-pg-memory-follow").start(this::follow);
        return this;
    }

    /** Loads everything the tables hold into {@code local} (empty) and starts following; nothing is reused later. */
    static MemoryProjection rebuild(PostgresDatabase db, Embedder embedder, MemoryStore local) {
        long head = MemoryTableLoad.load(db, embedder, local, false);
        return new MemoryProjection(db, embedder, local, head, p -> { }, null, Start.REBUILT).startFollowing();
    }

    /**
     * Opens the projection in {@code dir}: reuses it and catches up when it is current enough, else rebuilds it
     * there; trims the change log by {@code retention} (null: never) while it follows.
     */
    static MemoryProjection open(PostgresDatabase db, Embedder embedder, LocalIndexDirectory dir,
                                 Function<Path, MemoryStore> openLocal, MemoryChangeLog.Retention retention) {
        MemoryChangeLog.State state = MemoryChangeLog.read(db);
        long position = dir.recordedPosition();
        MemoryStore local = null;
        if (position >= 0 && position >= state.trimmedThrough() && position <= state.head()) {
            try {
                local = openLocal.apply(dir.indexDir());
            } catch (MemoryError e) {
                log.warn("rebuilding the memory index {}: it cannot be reused ({})", dir.indexDir(), e.getMessage());
            }
        } else if (position >= 0) {
            log.info("rebuilding the memory index {}: it holds changes up to {}, the change log holds {} to {}",
                    dir.indexDir(), position, state.trimmedThrough() + 1, state.head());
        }
        Start start = local == null ? Start.REBUILT : Start.REUSED;
        if (local == null) {
            dir.wipe();
            local = openLocal.apply(dir.indexDir());
            try {
                position = MemoryTableLoad.load(db, embedder, local, false);
                dir.record(position);
            } catch (RuntimeException e) {
                local.close();
                throw e;
            }
        }
        var projection = new MemoryProjection(db, embedder, local, position, dir::record, retention, start);
        try {
            if (start == Start.REUSED) {
                MemoryTableLoad.checkModel(db, embedder);
                projection.catchUp();
            }
        } catch (RuntimeException e) {
            projection.close();
            throw e;
        }
        return projection.startFollowing();
    }

    /** The store searches run on. */
    MemoryStore local() { return local; }

    /** Whether this projection was reused from a previous run or rebuilt at open. */
    Start start() { return start; }

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

    private void follow() {
        long backoff = 100;
        while (!closed) {
            try {
                maybeTrim();
                if (watch.known() <= applied) {
                    watch.await(applied, Duration.ofSeconds(1));
                    maybeRecord(false);
                    continue;
                }
                catchUp();
                maybeRecord(false);
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

    /**
     * Applies every change after {@link #applied}, a page at a time, making each page searchable before the next.
     * The trimmed start is read after each page: when it passed {@link #applied}, the page may miss changes and the
     * tables are loaded again instead.
     */
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
                if (MemoryChangeLog.trimmedThrough(c) > applied) {
                    log.warn("the memory search index is behind the trimmed change log (at {}): loading the tables again", applied);
                    last = MemoryTableLoad.load(db, embedder, local, true);
                } else {
                    if (last == applied) return;
                    applyCategories(c, categories);
                    applyItems(c, new LinkedHashSet<>(items));
                }
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

    /** Records the applied position (durable in the index: every local write is, once flushed) at most once a second. */
    private void maybeRecord(boolean now) {
        long at = applied;
        if (at == recorded || (!now && System.nanoTime() - recordedAt < RECORD_EVERY_NANOS)) return;
        checkpoint.record(at);
        recorded = at;
        recordedAt = System.nanoTime();
    }

    /** Trims the change log by the retention, once per its period (several processes doing it is harmless). */
    private void maybeTrim() {
        if (retention == null || System.nanoTime() - trimmedAt < retention.every().toNanos()) return;
        trimmedAt = System.nanoTime();
        var t = MemoryChangeLog.trim(db, retention);
        if (t.deleted() > 0) log.info("trimmed {} memory changes; the log now starts after {}", t.deleted(), t.trimmedThrough());
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
        boolean stopped = thread == null;
        try {
            if (thread != null) stopped = thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (progress) {
            progress.notifyAll();
        }
        try {
            local.flush();
            if (stopped) maybeRecord(true); // the follower no longer moves the position
        } catch (RuntimeException e) {
            log.warn("could not record the memory index's position at close ({}); the next start catches up from an "
                    + "earlier one", e.getMessage());
        } finally {
            local.close();
        }
    }
}
