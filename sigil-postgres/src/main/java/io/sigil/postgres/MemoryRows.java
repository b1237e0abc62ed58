package io.sigil.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sigil.memory.Category;
import io.sigil.memory.MemoryItem;
import io.sigil.memory.MemoryJson;
import io.sigil.memory.Resource;
import io.sigil.memory.ResourceType;
import io.sigil.memory.Scope;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * How memory records map to the rows of {@code V3__memory.sql}: one place for the column lists, the upserts and the
 * readers. Instants keep their nanoseconds (PostgreSQL stores microseconds, the rest goes to a {@code _ns} column),
 * so a record reads back equal to the one written. Vectors are little-endian float32 bytes.
 */
final class MemoryRows {
    private MemoryRows() { }

    static final String ITEM_COLUMNS = "item_id, source_resource_id, content, category, confidence, metadata, scope, "
            + "created_at, created_at_ns";
    static final String ON_ITEM_CONFLICT = "ON CONFLICT (item_id) DO UPDATE SET "
            + "source_resource_id = EXCLUDED.source_resource_id, content = EXCLUDED.content, category = EXCLUDED.category, "
            + "confidence = EXCLUDED.confidence, metadata = EXCLUDED.metadata, scope = EXCLUDED.scope, "
            + "created_at = EXCLUDED.created_at, created_at_ns = EXCLUDED.created_at_ns, embedding = EXCLUDED.embedding, "
            + "embedding_model = EXCLUDED.embedding_model";
    static final String UPSERT_ITEM = "INSERT INTO memory_items (" + ITEM_COLUMNS + ", embedding, embedding_model) "
            + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) " + ON_ITEM_CONFLICT;

    static final String RESOURCE_COLUMNS = "resource_id, resource_type, content, metadata, session_id, scope, created_at, "
            + "created_at_ns";
    static final String UPSERT_RESOURCE = "INSERT INTO resources (" + RESOURCE_COLUMNS + ") "
            + "VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (resource_id) DO UPDATE SET "
            + "resource_type = EXCLUDED.resource_type, content = EXCLUDED.content, metadata = EXCLUDED.metadata, "
            + "session_id = EXCLUDED.session_id, scope = EXCLUDED.scope, created_at = EXCLUDED.created_at, "
            + "created_at_ns = EXCLUDED.created_at_ns";

    static final String CATEGORY_COLUMNS = "scope, name, description, content, last_consolidated, last_consolidated_ns";
    static final String UPSERT_CATEGORY = "INSERT INTO categories (" + CATEGORY_COLUMNS + ", updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, NOW()) ON CONFLICT (scope, name) DO UPDATE SET description = EXCLUDED.description, "
            + "content = EXCLUDED.content, last_consolidated = EXCLUDED.last_consolidated, "
            + "last_consolidated_ns = EXCLUDED.last_consolidated_ns, updated_at = NOW()";

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    static void bindItem(PreparedStatement ps, MemoryItem item, float[] vector, String model) throws SQLException {
        ps.setString(1, item.id());
        ps.setString(2, item.sourceResourceId());
        ps.setString(3, item.content());
        ps.setString(4, item.category());
        ps.setDouble(5, item.confidence());
        ps.setString(6, MemoryJson.write(item.metadata()));
        ps.setString(7, item.scope().key());
        bindInstant(ps, 8, item.createdAt());
        ps.setBytes(10, encode(vector));
        ps.setString(11, model);
    }

    static MemoryItem item(ResultSet rs) throws SQLException {
        return new MemoryItem(rs.getString("item_id"), rs.getString("source_resource_id"), rs.getString("content"),
                rs.getString("category"), rs.getDouble("confidence"), metadata(rs.getString("metadata")),
                Scope.parse(rs.getString("scope")), instant(rs, "created_at"));
    }

    static void bindResource(PreparedStatement ps, Resource r) throws SQLException {
        ps.setString(1, r.id());
        ps.setString(2, r.type().wireName());
        ps.setString(3, r.content());
        ps.setString(4, MemoryJson.write(r.metadata()));
        ps.setString(5, r.sessionId());
        ps.setString(6, r.scope().key());
        bindInstant(ps, 7, r.createdAt());
    }

    static Resource resource(ResultSet rs) throws SQLException {
        return new Resource(rs.getString("resource_id"), ResourceType.parse(rs.getString("resource_type")),
                rs.getString("content"), metadata(rs.getString("metadata")), rs.getString("session_id"),
                Scope.parse(rs.getString("scope")), instant(rs, "created_at"));
    }

    static void bindCategory(PreparedStatement ps, Category c) throws SQLException {
        ps.setString(1, c.scope().key());
        ps.setString(2, c.name());
        ps.setString(3, c.description());
        ps.setString(4, c.content());
        bindInstant(ps, 5, c.lastConsolidated());
    }

    static Category category(ResultSet rs) throws SQLException {
        return new Category(rs.getString("name"), rs.getString("description"), rs.getString("content"), 0,
                instant(rs, "last_consolidated"), Scope.parse(rs.getString("scope")));
    }

    /** The change-log key of a category: scope keys and normalized names never contain '/'. */
    static String categoryKey(Category c) { return c.scope().key() + "/" + c.name(); }

    /** Binds {@code at} to a timestamptz column and its sub-microsecond nanoseconds to the next one. */
    private static void bindInstant(PreparedStatement ps, int index, Instant at) throws SQLException {
        if (at == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setShort(index + 1, (short) 0);
            return;
        }
        int belowMicro = at.getNano() % 1000;
        ps.setObject(index, OffsetDateTime.ofInstant(at.minusNanos(belowMicro), ZoneOffset.UTC));
        ps.setShort(index + 1, (short) belowMicro);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().plusNanos(rs.getShort(column + "_ns"));
    }

    private static Map<String, String> metadata(String json) {
        try {
            return json == null ? Map.of() : MemoryJson.MAPPER.readValue(json, STRING_MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encode(float[] vector) {
        var buf = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(vector);
        return buf.array();
    }

    static float[] decode(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
