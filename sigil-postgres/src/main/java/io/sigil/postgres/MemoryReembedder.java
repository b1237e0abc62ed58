package io.sigil.postgres;

import io.sigil.memory.Embedder;
import io.sigil.memory.MemoryItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sigil memory reindex} on PostgreSQL: the database keeps every item, so "rebuilding the index" means
 * embedding the items again with the configured model (after a model change, or to repair vectors) and logging each
 * in {@code memory_changes}, so every running process's projection takes the new vectors by itself. Processes
 * rebuild their projections from the tables at start anyway. Safe to re-run and to interrupt: an item either has
 * its old vector and model or the new ones.
 */
public final class MemoryReembedder {
    private static final int BATCH = 256;

    private MemoryReembedder() { }

    /** What a run did. */
    public record Report(String model, long reembedded, long total) { }

    /** Re-embeds the items whose model is not {@code embedder}'s (all of them when {@code all}). */
    public static Report run(PostgresDatabase db, Embedder embedder, boolean all) {
        long done = 0;
        String after = "";
        while (true) {
            List<MemoryItem> batch = new ArrayList<>(BATCH);
            try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + MemoryRows.ITEM_COLUMNS
                    + " FROM memory_items WHERE item_id > ? AND (? OR embedding_model <> ?) ORDER BY item_id LIMIT " + BATCH)) {
                ps.setString(1, after);
                ps.setBoolean(2, all);
                ps.setString(3, embedder.model());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) batch.add(MemoryRows.item(rs));
                }
            } catch (SQLException e) {
                throw SqlErrors.failed("read memory items to re-embed", e);
            }
            if (batch.isEmpty()) break;
            List<float[]> vectors = embedder.embed(batch.stream().map(MemoryItem::content).toList());
            PostgresMemoryStore.writeItems(db, embedder, batch, vectors);
            done += batch.size();
            after = batch.getLast().id();
        }
        return new Report(embedder.model(), done, count(db));
    }

    private static long count(PostgresDatabase db) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM memory_items");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw SqlErrors.failed("count memory items", e);
        }
    }
}
