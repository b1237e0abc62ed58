package io.sigil.postgres;

import io.sigil.errors.MemoryError;
import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Loading the memory tables into a projection's local store (at a rebuild, or a reload after a trim). */
final class MemoryTableLoad {
    private static final int PAGE = 1000;
    /**
     * Items per write into the local store: each write becomes one Lucene segment (the indexer refreshes after
     * each), and many small segments cost HNSW merges that rebuild the graph again and again (JFR: the merge
     * threads took more CPU than the indexing itself with writes of 1,000). About 30 MB of vectors at 384 dimensions.
     */
    private static final int LOAD_BATCH = 20_000;

    private MemoryTableLoad() { }

    /**
     * One REPEATABLE READ snapshot: the head position and every category and item as of it, put into {@code local};
     * with {@code deleteMissing}, the local items the snapshot does not hold are deleted (a reload in place).
     */
    static long load(PostgresDatabase db, Embedder embedder, MemoryStore local, boolean deleteMissing) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                long head = PositionWatch.readHead(c, MemoryProjection.HEAD);
                checkModel(c, embedder);
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT " + MemoryRows.CATEGORY_COLUMNS + " FROM categories")) {
                    while (rs.next()) local.putCategory(MemoryRows.category(rs));
                }
                Set<String> present = deleteMissing ? new HashSet<>() : null;
                try (Statement st = c.createStatement()) {
                    st.setFetchSize(PAGE);
                    try (ResultSet rs = st.executeQuery("SELECT " + MemoryRows.ITEM_COLUMNS + ", embedding FROM memory_items")) {
                        var items = new ArrayList<MemoryItem>(LOAD_BATCH);
                        var vectors = new ArrayList<float[]>(LOAD_BATCH);
                        while (rs.next()) {
                            items.add(MemoryRows.item(rs));
                            vectors.add(MemoryRows.decode(rs.getBytes("embedding")));
                            if (present != null) present.add(items.getLast().id());
                            if (items.size() == LOAD_BATCH) {
                                local.putItems(items, vectors);
                                items.clear();
                                vectors.clear();
                            }
                        }
                        if (!items.isEmpty()) local.putItems(items, vectors);
                    }
                }
                c.commit();
                if (present != null) {
                    for (MemoryItem i : local.allItems()) if (!present.contains(i.id())) local.deleteItem(i.id());
                }
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

    static void checkModel(PostgresDatabase db, Embedder embedder) {
        try (Connection c = db.connection()) {
            checkModel(c, embedder);
        } catch (SQLException e) {
            throw SqlErrors.failed("read the memory items' embedding models", e);
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
}
