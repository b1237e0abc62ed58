package io.sigil.evolution;

import io.sigil.errors.EvolutionError;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link OptimizationJobStore} must do; each adapter's test extends this. */
public abstract class OptimizationJobStoreConformance {
    static final Instant T0 = Instant.parse("2026-12-05T04:00:00.123456Z");

    /** A store over fresh, empty storage; called again in a test, it must see what the first one wrote. */
    protected abstract OptimizationJobStore store();

    static OptimizationJob job(String id, String agent, String node) {
        return OptimizationJob.started(id, agent, "alice", 3, node, T0);
    }

    @Test
    void oneJobRunsPerAgentAndItsProgressAndEndAreKept() {
        OptimizationJobStore s = store();
        s.start(job("evo-1", "a", "n1"));
        assertThatThrownBy(() -> store().start(job("evo-2", "a", "n2"))).isInstanceOf(EvolutionError.class)
                .hasMessageContaining("already running: evo-1");
        s.start(job("evo-3", "b", "n1")); // another agent: fine
        assertThat(store().running()).extracting(OptimizationJob::id).containsExactlyInAnyOrder("evo-1", "evo-3");

        OptimizationJob progressed = job("evo-1", "a", "n1").progressed(2, T0.plusSeconds(5));
        assertThat(s.update(progressed)).isTrue();
        assertThat(store().find("evo-1")).contains(progressed);
        OptimizationJob done = progressed.ended(OptimizationJob.Status.COMPLETED,
                Map.of("status", "improved", "version_id", "v2", "cost", Map.of("total_tokens", 1200)), "better", T0.plusSeconds(9));
        assertThat(s.update(done)).isTrue();
        assertThat(store().find("evo-1")).contains(done);
        assertThat(store().running()).extracting(OptimizationJob::id).containsExactly("evo-3");
        assertThat(store().find("evo-404")).isEmpty();

        s.start(job("evo-2", "a", "n2")); // the agent is free again
        assertThat(s.update(done)).isFalse(); // an ended job is not written again
    }

    @Test
    void onlyTheNodeRunningAJobWritesItAndATakeOverIsConditional() {
        OptimizationJobStore s = store();
        OptimizationJob seen = s.start(job("evo-1", "a", "dead"));
        assertThat(s.update(seen.runningOn("other", T0).progressed(1, T0))).isFalse();

        assertThat(s.takeOver(seen, "alive", T0.plusSeconds(60))).isTrue();
        assertThat(s.takeOver(seen, "late", T0.plusSeconds(61))).isFalse(); // it moved: another took it first
        OptimizationJob now = store().find("evo-1").orElseThrow();
        assertThat(now.node()).isEqualTo("alive");
        assertThat(now.updatedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(s.update(seen.progressed(1, T0.plusSeconds(62)))).isFalse(); // the old node lost it
        assertThat(s.update(now.progressed(1, T0.plusSeconds(62)))).isTrue();
    }

    @Test
    void aStoppedJobRunsAgainUnderItsIdButARunningOneDoesNot() {
        OptimizationJobStore s = store();
        OptimizationJob first = s.start(job("evo-1", "a", "n1"));
        assertThatThrownBy(() -> s.start(first.runningOn("n2", T0))).isInstanceOf(EvolutionError.class);
        s.update(first.ended(OptimizationJob.Status.FAILED, null, "the provider was down", T0.plusSeconds(3)));
        OptimizationJob again = s.start(store().find("evo-1").orElseThrow().runningOn("n2", T0.plusSeconds(10)));
        OptimizationJob read = store().find("evo-1").orElseThrow();
        assertThat(read.status()).isEqualTo(OptimizationJob.Status.RUNNING);
        assertThat(read.node()).isEqualTo("n2");
        assertThat(read.reason()).isNull();
        assertThat(read.owner()).isEqualTo("alice");
        assertThat(read.createdAt()).isEqualTo(T0);
        assertThat(again.id()).isEqualTo("evo-1");
    }
}
