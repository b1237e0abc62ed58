package io.sigil.postgres;

import io.sigil.backup.MemorySnapshot;
import io.sigil.memory.Categories;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.Resource;
import io.sigil.memory.Scope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * The memory tables read on a {@link PostgresSnapshot}'s connection, in its REPEATABLE READ transaction: memory is
 * exported as of the same moment as the events, and straight from the tables, so a backup or a copy of PostgreSQL
 * builds no search index (a projection of 100k items cost more CPU than the rest of the copy) and writes nothing.
 */
record PostgresMemorySnapshot(Connection connection, String embeddingModel, int dimension) implements MemorySnapshot {
    private static final int FETCH = 1_000;

    /**
     * A category's row where it has one, else the default record of a category its items name: what
     * {@link PostgresMemoryStore#categories} shows (its projection creates that record when it indexes the items).
     */
    private static final String CATEGORIES = "SELECT " + MemoryRows.CATEGORY_COLUMNS + " FROM categories";
    private static final String NAMED_BY_ITEMS = "SELECT DISTINCT i.scope, i.category FROM memory_items i "
            + "WHERE NOT EXISTS (SELECT 1 FROM categories c WHERE c.scope = i.scope AND c.name = i.category)";

    /**
     * The snapshot of the vectors of {@code embeddingModel}, of the dimension they are stored with (a vector is
     * {@code dimension * 4} bytes); {@code dimension} is asked only when the tables hold no vector of that model, so
     * a backup or a copy of the database loads no embedding model for its name and dimension.
     */
    static PostgresMemorySnapshot of(Connection connection, String embeddingModel, IntSupplier dimension) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT octet_length(embedding) / 4 FROM memory_items WHERE embedding_model = ? LIMIT 1")) {
            ps.setString(1, embeddingModel);
            try (ResultSet rs = ps.executeQuery()) {
                return new PostgresMemorySnapshot(connection, embeddingModel, rs.next() ? rs.getInt(1) : dimension.getAsInt());
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("read the dimension of the stored vectors", e);
        }
    }

    @Override
    public List<Resource> resources() {
        return query("SELECT " + MemoryRows.RESOURCE_COLUMNS + " FROM resources", ps -> { }, MemoryRows::resource);
    }

    @Override
    public List<MemoryItem> items() {
        return query("SELECT " + MemoryRows.ITEM_COLUMNS + " FROM memory_items", ps -> { }, MemoryRows::item);
    }

    @Override
    public List<Category> categories(Set<Scope> scopes) {
        var out = new ArrayList<Category>();
        for (Category c : query(CATEGORIES, ps -> { }, MemoryRows::category)) {
            if (scopes.contains(c.scope())) out.add(c);
        }
        for (Category c : query(NAMED_BY_ITEMS, ps -> { }, rs -> {
            String name = rs.getString(2);
            return new Category(name, Categories.describe(name), "", 0, null, Scope.parse(rs.getString(1)));
        })) {
            if (scopes.contains(c.scope())) out.add(c);
        }
        return out;
    }

    /** Only vectors of {@link #embeddingModel}: an item another model embedded (before a reindex) has none here. */
    @Override
    public Map<String, float[]> storedVectors(List<String> ids) {
        var out = new LinkedHashMap<String, float[]>();
        if (ids.isEmpty()) return out;
        for (var row : query("SELECT item_id, embedding FROM memory_items WHERE item_id = ANY(?) AND embedding_model = ?", ps -> {
            ps.setArray(1, connection.createArrayOf("text", ids.toArray()));
            ps.setString(2, embeddingModel);
        }, rs -> Map.entry(rs.getString(1), MemoryRows.decode(rs.getBytes(2))))) {
            out.put(row.getKey(), row.getValue());
        }
        return out;
    }

    private interface Bind { void bind(PreparedStatement ps) throws SQLException; }

    private interface Row<T> { T read(ResultSet rs) throws SQLException; }

    /** Runs {@code sql} in the snapshot's transaction, a cursor of {@link #FETCH} rows at a time. */
    private <T> List<T> query(String sql, Bind bind, Row<T> row) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind.bind(ps);
            ps.setFetchSize(FETCH);
            var out = new ArrayList<T>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed("read memory for the snapshot", e);
        }
    }
}
