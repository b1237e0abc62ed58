package io.sigil.evolution;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where optimisation jobs are kept, so that any replica can answer for one and a start can resume one cut short:
 * files in the state directory ({@link FileOptimizationJobStore}) or the {@code evolution_jobs} table on PostgreSQL.
 * Both pass the same conformance suite.
 */
public interface OptimizationJobStore {

    /**
     * Records a running job: a new one, or one that stopped (failed, interrupted) running again under its id.
     * {@link io.sigil.errors.EvolutionError} when another job of the agent is running (one at a time per agent) or
     * this one already runs.
     */
    OptimizationJob start(OptimizationJob job);

    /**
     * Writes the job's progress or end if the store still has it running on {@code job.node()}; false when it does
     * not (another process took it over, so this one must stop writing).
     */
    boolean update(OptimizationJob job);

    Optional<OptimizationJob> find(String id);

    /** Every running job, oldest first. */
    List<OptimizationJob> running();

    /**
     * Moves a running job whose heartbeat is still {@code seen.updatedAt()} on {@code seen.node()} to {@code node};
     * false when it moved meanwhile (its process is alive after all, or another one took it first).
     */
    boolean takeOver(OptimizationJob seen, String node, Instant now);
}
