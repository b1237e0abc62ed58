package io.sigil.evolution;

import io.sigil.errors.EvolutionError;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An optimisation started over the API, as the store keeps it so that any replica can answer for it: its id (the
 * id of its session, whose events are the detail), its agent and owner, how far it got, and its result or why it
 * stopped. {@code node} is the process running it and {@code updatedAt} that process's last heartbeat: a running
 * job whose heartbeat stopped was cut short by a crash or a restart and is resumed at the next start.
 *
 * @param owner  the subject that started it (null: an administrator); others get a 404
 * @param result the optimisation's result (its wire form) once completed, else null
 * @param reason why it failed or was interrupted, or the result's reason
 */
public record OptimizationJob(String id, String agent, String owner, Status status, int generation, int generations,
                              Map<String, Object> result, String reason, String node, Instant createdAt,
                              Instant updatedAt) {

    public enum Status {
        /** Running on {@code node} (or cut short, until a start resumes it). */
        RUNNING,
        /** Ended with a result: improved, pending_approval, safety_blocked or no_improvement. */
        COMPLETED,
        /** Ended by an error; resumable from its last generation. */
        FAILED,
        /** Cut short by a crash and not resumable by itself (the reason says why); resumable by hand if possible. */
        INTERRUPTED;

        public String wireName() { return name().toLowerCase(Locale.ROOT); }

        public static Status parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }

    public OptimizationJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(node, "node");
        // Kept to the microsecond, as PostgreSQL keeps it: a heartbeat compared with what was read matches.
        createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
        updatedAt = updatedAt.truncatedTo(ChronoUnit.MICROS);
        result = result == null ? null : Map.copyOf(result);
    }

    /** A new job, running on {@code node}. */
    public static OptimizationJob started(String id, String agent, String owner, int generations, String node, Instant now) {
        return new OptimizationJob(id, agent, owner, Status.RUNNING, 0, generations, null, null, node, now, now);
    }

    public OptimizationJob progressed(int generationDone, Instant now) {
        return new OptimizationJob(id, agent, owner, status, generationDone, generations, result, reason, node, createdAt, now);
    }

    public OptimizationJob ended(Status s, Map<String, Object> r, String why, Instant now) {
        return new OptimizationJob(id, agent, owner, s, generation, generations, r, why, node, createdAt, now);
    }

    /** Running again on {@code newNode} (a resume), its heartbeat now. */
    public OptimizationJob runningOn(String newNode, Instant now) {
        return new OptimizationJob(id, agent, owner, Status.RUNNING, generation, generations, null, null, newNode, createdAt, now);
    }

    /** The error of a second optimisation of this running job's agent (or of this job again). */
    public EvolutionError alreadyRunning() {
        return new EvolutionError("An optimisation of agent '" + agent + "' is already running: " + id + " (generation "
                + generation + " of " + generations + ", started " + createdAt + ")", "Wait for it to end (GET /agents/"
                + agent + "/evolution/jobs/" + id + "), then start another.");
    }

    /** The wire form (API and the file store). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", id);
        m.put("optimization_id", id);
        m.put("agent", agent);
        m.put("owner", owner);
        m.put("status", status.wireName());
        m.put("generation", generation);
        m.put("generations", generations);
        m.put("result", result);
        m.put("reason", reason);
        m.put("node", node);
        m.put("created_at", createdAt.toString());
        m.put("updated_at", updatedAt.toString());
        return m;
    }

    @SuppressWarnings("unchecked")
    public static OptimizationJob fromMap(Map<?, ?> m) {
        return new OptimizationJob((String) m.get("job_id"), (String) m.get("agent"), (String) m.get("owner"),
                Status.parse((String) m.get("status")), ((Number) m.get("generation")).intValue(),
                ((Number) m.get("generations")).intValue(), (Map<String, Object>) m.get("result"), (String) m.get("reason"),
                (String) m.get("node"), Instant.parse((String) m.get("created_at")), Instant.parse((String) m.get("updated_at")));
    }
}
