package io.sigil.postgres;

import io.sigil.errors.NotFoundError;
import io.sigil.evolution.PromptVersion;
import io.sigil.evolution.PromptVersionStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prompt versions in the {@code prompt_versions} table (migration V5). Numbers are assigned under a per-agent
 * advisory lock, and activation swaps the active version in one transaction (a partial unique index allows one).
 */
public final class PostgresPromptVersionStore implements PromptVersionStore {
    static final String COLUMNS = "agent, number, prompt, score, confidence, drift, parent, generation, created_at,"
            + " status, optimization_id";
    private final PostgresDatabase db;

    public PostgresPromptVersionStore(PostgresDatabase db) { this.db = db; }

    @Override
    public List<PromptVersion> list(String agent) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM prompt_versions WHERE agent = ? ORDER BY number")) {
            ps.setString(1, agent);
            List<PromptVersion> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed("list the prompt versions of '" + agent + "'", e);
        }
    }

    @Override
    public Optional<PromptVersion> find(String agent, String versionId) {
        Integer n = number(versionId);
        if (n == null) return Optional.empty();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM prompt_versions WHERE agent = ? AND number = ?")) {
            ps.setString(1, agent);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("read prompt version " + versionId + " of '" + agent + "'", e);
        }
    }

    @Override
    public PromptVersion add(PromptVersion draft) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                lock(c, draft.agent());
                int next;
                try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(number), 0) + 1 FROM prompt_versions WHERE agent = ?")) {
                    ps.setString(1, draft.agent());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        next = rs.getInt(1);
                    }
                }
                if (draft.status() == PromptVersion.Status.ACTIVE) supersedeActive(c, draft.agent());
                insert(c, draft, next, "");
                c.commit();
                return draft.withId("v" + next);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("store a prompt version of '" + draft.agent() + "'", e);
        }
    }

    @Override
    public List<PromptVersion> all() {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM prompt_versions ORDER BY agent, number")) {
            return rows(ps);
        } catch (SQLException e) {
            throw SqlErrors.failed("list the prompt versions", e);
        }
    }

    /** Reads every version of the query, in its order (also within a snapshot's transaction). */
    static List<PromptVersion> rows(PreparedStatement ps) throws SQLException {
        List<PromptVersion> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.add(row(rs));
        }
        return out;
    }

    @Override
    public boolean restore(PromptVersion version) {
        Integer n = number(version.versionId());
        if (n == null) {
            throw new IllegalArgumentException("a prompt version id is v1, v2, ...: '" + version.versionId() + "'");
        }
        try (Connection c = db.connection()) {
            // Only the id may collide quietly; a second active version still violates the one-active index.
            return insert(c, version, n, " ON CONFLICT (agent, number) DO NOTHING") == 1;
        } catch (SQLException e) {
            throw SqlErrors.failed("restore prompt version " + version.versionId() + " of '" + version.agent() + "'", e);
        }
    }

    private static int insert(Connection c, PromptVersion v, int number, String onConflict) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO prompt_versions (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + onConflict)) {
            ps.setString(1, v.agent());
            ps.setInt(2, number);
            ps.setString(3, v.prompt());
            ps.setDouble(4, v.score());
            ps.setDouble(5, v.confidence());
            ps.setDouble(6, v.drift());
            ps.setString(7, v.parent());
            ps.setInt(8, v.generation());
            ps.setTimestamp(9, Timestamp.from(v.createdAt()));
            ps.setString(10, v.status().wireName());
            ps.setString(11, v.optimizationId());
            return ps.executeUpdate();
        }
    }

    @Override
    public PromptVersion activate(String agent, String versionId) {
        Integer n = number(versionId);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                lock(c, agent);
                if (n == null || find(c, agent, n) == null) throw notFound(agent, versionId);
                supersedeActive(c, agent);
                update(c, agent, n, PromptVersion.Status.ACTIVE);
                PromptVersion v = find(c, agent, n);
                c.commit();
                return v;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.failed("activate prompt version " + versionId + " of '" + agent + "'", e);
        }
    }

    @Override
    public PromptVersion setStatus(String agent, String versionId, PromptVersion.Status status) {
        if (status == PromptVersion.Status.ACTIVE) return activate(agent, versionId);
        Integer n = number(versionId);
        try (Connection c = db.connection()) {
            if (n == null || update(c, agent, n, status) == 0) throw notFound(agent, versionId);
            return find(c, agent, n);
        } catch (SQLException e) {
            throw SqlErrors.failed("change prompt version " + versionId + " of '" + agent + "'", e);
        }
    }

    private static void lock(Connection c, String agent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('prompt_versions:' || ?))")) {
            ps.setString(1, agent);
            ps.execute();
        }
    }

    private static void supersedeActive(Connection c, String agent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE prompt_versions SET status = 'superseded' WHERE agent = ? AND status = 'active'")) {
            ps.setString(1, agent);
            ps.executeUpdate();
        }
    }

    private static int update(Connection c, String agent, int n, PromptVersion.Status status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE prompt_versions SET status = ? WHERE agent = ? AND number = ?")) {
            ps.setString(1, status.wireName());
            ps.setString(2, agent);
            ps.setInt(3, n);
            return ps.executeUpdate();
        }
    }

    private static PromptVersion find(Connection c, String agent, int n) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM prompt_versions WHERE agent = ? AND number = ?")) {
            ps.setString(1, agent);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    private static PromptVersion row(ResultSet rs) throws SQLException {
        return new PromptVersion(rs.getString(1), "v" + rs.getInt(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5),
                rs.getDouble(6), rs.getString(7), rs.getInt(8), rs.getTimestamp(9).toInstant(),
                PromptVersion.Status.parse(rs.getString(10)), rs.getString(11));
    }

    /** The number of {@code v<n>}, or null for an id of another form (which no version has). */
    private static Integer number(String versionId) {
        if (versionId == null || !versionId.matches("v[1-9][0-9]{0,8}")) return null;
        return Integer.parseInt(versionId.substring(1));
    }

    private static NotFoundError notFound(String agent, String versionId) {
        return new NotFoundError("Agent '" + agent + "' has no prompt version '" + versionId + "'",
                "List its versions: sigil evolve versions " + agent);
    }
}
