package io.sigil.postgres;

import io.sigil.auth.ApiKey;
import io.sigil.auth.ApiKeyStore;
import io.sigil.auth.Scope;
import io.sigil.errors.StateError;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** API keys in the {@code api_keys} table (migration V2): lookups by the unique {@code key_hash} index. */
public final class PostgresApiKeyStore implements ApiKeyStore {
    private static final String COLUMNS = "key_id, key_hash, name, scopes::text, rate_limit, created_at, expires_at, revoked_at,"
            + " last_used_at";

    private final PostgresDatabase db;

    public PostgresApiKeyStore(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void add(ApiKey key) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_keys (key_id, key_hash, name, scopes, rate_limit, created_at, expires_at, revoked_at,"
                        + " last_used_at) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.id());
            ps.setString(2, key.keyHash());
            ps.setString(3, key.name());
            ps.setString(4, scopesJson(key.scopes()));
            ps.setInt(5, key.rateLimitPerMinute());
            ps.setTimestamp(6, ts(key.createdAt()));
            ps.setTimestamp(7, ts(key.expiresAt()));
            ps.setTimestamp(8, ts(key.revokedAt()));
            ps.setTimestamp(9, ts(key.lastUsedAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new StateError("An API key with this id or hash already exists: " + key.id());
            }
            throw SqlErrors.failed("store API key " + key.id(), e);
        }
    }

    @Override
    public Optional<ApiKey> findByHash(String keyHash) {
        List<ApiKey> found = query("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", keyHash);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<ApiKey> list() {
        return query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, key_id", null);
    }

    @Override
    public boolean revoke(String id, Instant when) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?")) {
            ps.setTimestamp(1, ts(when));
            ps.setString(2, id);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw SqlErrors.failed("revoke API key " + id, e);
        }
    }

    /** One batched UPDATE; a time never moves back (another replica may have recorded a later use). */
    @Override
    public void recordUse(Map<String, Instant> lastUsedById) {
        if (lastUsedById.isEmpty()) return;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE api_keys SET last_used_at = ? WHERE key_id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
            for (var e : new java.util.TreeMap<>(lastUsedById).entrySet()) { // one lock order for concurrent replicas
                ps.setTimestamp(1, ts(e.getValue()));
                ps.setString(2, e.getKey());
                ps.setTimestamp(3, ts(e.getValue()));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw SqlErrors.failed("record API key use", e);
        }
    }

    private List<ApiKey> query(String sql, String parameter) {
        try (Connection c = db.connection()) {
            return query(c, sql, parameter);
        } catch (SQLException e) {
            throw SqlErrors.failed("read API keys", e);
        }
    }

    /** Every key, read on {@code c} (a snapshot's transaction). */
    static List<ApiKey> list(Connection c) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, key_id", null);
    }

    private static List<ApiKey> query(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter != null) ps.setString(1, parameter);
            var out = new ArrayList<ApiKey>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ApiKey(rs.getString(1), rs.getString(2), rs.getString(3), scopes(rs.getString(4)),
                            rs.getInt(5), instant(rs, 6), instant(rs, 7), instant(rs, 8), instant(rs, 9)));
                }
            }
            return out;
        }
    }

    private static String scopesJson(Set<Scope> scopes) {
        var names = Scope.wireNames(scopes);
        var sb = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) sb.append(i == 0 ? "" : ",").append('"').append(names.get(i)).append('"');
        return sb.append(']').toString();
    }

    /** Scope names are fixed identifiers ({@code runs:execute}); an unknown one (written by a newer Sigil) is skipped. */
    private static Set<Scope> scopes(String json) {
        Set<Scope> out = EnumSet.noneOf(Scope.class);
        for (String part : json.replaceAll("[\\[\\]\" ]", "").split(",")) {
            if (!part.isEmpty()) Scope.fromWire(part).ifPresent(out::add);
        }
        return out;
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
