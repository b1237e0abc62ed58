package io.sigil.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.errors.StateError;
import io.sigil.evolution.OptimizationJob;
import io.sigil.evolution.OptimizationJobStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Optimisation jobs in the {@code evolution_jobs} table (migration V8). A partial unique index lets one job per
 * agent be running, whichever replica starts it; progress, ends and take-overs are conditional updates on the
 * running job's node (and, for a take-over, its last heartbeat), so a replica that lost a job stops writing it.
 */
public final class PostgresOptimizationJobStore implements OptimizationJobStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, agent, owner, status, generation, generations, result::text, reason, node,"
            + " created_at, updated_at";
    private final PostgresDatabase db;

    public PostgresOptimizationJobStore(PostgresDatabase db) { this.db = db; }

    @Override
    public OptimizationJob start(OptimizationJob job) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO evolution_jobs (id, agent, owner, status, generation, generations, result, reason, node,"
                        + " created_at, updated_at) VALUES (?, ?, ?, 'running', ?, ?, NULL, NULL, ?, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET status = 'running', result = NULL, reason = NULL,"
                        + " node = EXCLUDED.node, updated_at = EXCLUDED.updated_at WHERE evolution_jobs.status <> 'running'")) {
            ps.setString(1, job.id());
            ps.setString(2, job.agent());
            ps.setString(3, job.owner());
            ps.setInt(4, job.generation());
            ps.setInt(5, job.generations());
            ps.setString(6, job.node());
            ps.setTimestamp(7, Timestamp.from(job.createdAt()));
            ps.setTimestamp(8, Timestamp.from(job.updatedAt()));
            if (ps.executeUpdate() == 0) throw busy(job.agent(), job);
            return job;
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) throw busy(job.agent(), job); // another job of the agent runs
            throw SqlErrors.failed("start optimisation job " + job.id(), e);
        }
    }

    private RuntimeException busy(String agent, OptimizationJob job) {
        return running().stream().filter(r -> r.agent().equals(agent) || r.id().equals(job.id())).findFirst()
                .<RuntimeException>map(OptimizationJob::alreadyRunning)
                .orElseGet(() -> new io.sigil.errors.EvolutionError("An optimisation of agent '" + agent
                        + "' started at the same moment", "Try again."));
    }

    @Override
    public boolean update(OptimizationJob job) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE evolution_jobs SET status = ?, generation = ?, result = ?::jsonb, reason = ?, updated_at = ?"
                        + " WHERE id = ? AND node = ? AND status = 'running'")) {
            ps.setString(1, job.status().wireName());
            ps.setInt(2, job.generation());
            ps.setString(3, job.result() == null ? null : JSON.writeValueAsString(job.result()));
            ps.setString(4, job.reason());
            ps.setTimestamp(5, Timestamp.from(job.updatedAt()));
            ps.setString(6, job.id());
            ps.setString(7, job.node());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw SqlErrors.failed("update optimisation job " + job.id(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an optimisation result is plain JSON", e);
        }
    }

    @Override
    public Optional<OptimizationJob> find(String id) {
        List<OptimizationJob> found = query("WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
    }

    @Override
    public List<OptimizationJob> running() { return query("WHERE status = 'running' ORDER BY created_at", null); }

    @Override
    public boolean takeOver(OptimizationJob seen, String node, Instant now) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE evolution_jobs SET node = ?, updated_at = ? WHERE id = ? AND status = 'running' AND node = ?"
                        + " AND updated_at = ?")) {
            ps.setString(1, node);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, seen.id());
            ps.setString(4, seen.node());
            ps.setTimestamp(5, Timestamp.from(seen.updatedAt()));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw SqlErrors.failed("take over optimisation job " + seen.id(), e);
        }
    }

    private List<OptimizationJob> query(String where, String arg) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM evolution_jobs " + where)) {
            if (arg != null) ps.setString(1, arg);
            List<OptimizationJob> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row(rs));
            }
            return out;
        } catch (SQLException e) {
            throw SqlErrors.failed("read optimisation jobs", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static OptimizationJob row(ResultSet rs) throws SQLException {
        Map<String, Object> result;
        try {
            result = rs.getString(7) == null ? null : JSON.readValue(rs.getString(7), Map.class);
        } catch (JsonProcessingException e) {
            throw new StateError("The result of optimisation job " + rs.getString(1) + " is not valid JSON", "Start a new optimisation.");
        }
        return new OptimizationJob(rs.getString(1), rs.getString(2), rs.getString(3), OptimizationJob.Status.parse(rs.getString(4)),
                rs.getInt(5), rs.getInt(6), result, rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant());
    }
}
