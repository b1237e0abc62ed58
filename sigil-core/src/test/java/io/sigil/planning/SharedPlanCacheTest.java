package io.sigil.planning;

import io.sigil.cluster.SharedCache;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Two replicas' plan caches over one shared cache: a plan made on one is found by the other. */
class SharedPlanCacheTest {
    private final Map<String, String> store = new ConcurrentHashMap<>();
    private final Map<String, Duration> ttls = new ConcurrentHashMap<>();
    private final SharedCache shared = new SharedCache() {
        @Override
        public Optional<String> get(String key) { return Optional.ofNullable(store.get(key)); }

        @Override
        public void put(String key, String value, Duration ttl) {
            store.put(key, value);
            ttls.put(key, ttl);
        }

        @Override
        public void remove(String key) { store.remove(key); }
    };
    private final Plan plan = new Plan("p1", "goal", List.of(PlanStep.reasoning("a", "think")), Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aPlanMadeOnOneReplicaServesAnother() {
        PlanCache a = new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 10, shared);
        PlanCache b = new PlanCache(Clock.systemUTC(), Duration.ofHours(24), 10, shared);
        a.put("k", plan);
        assertThat(ttls.get("plan:k")).isEqualTo(Duration.ofHours(24));
        Optional<Plan> found = b.get("k");
        assertThat(found).hasValueSatisfying(p -> {
            assertThat(p.planId()).isEqualTo("p1");
            assertThat(p.goal()).isEqualTo("goal");
            assertThat(p.steps()).hasSize(1);
            assertThat(p.createdAt()).isEqualTo(plan.createdAt());
        });
        store.clear();
        assertThat(b.get("k")).as("kept locally once fetched").isPresent();
    }

    @Test
    void anUnreadableSharedEntryIsAMiss() {
        store.put("plan:k", "{not json");
        assertThat(new PlanCache(Clock.systemUTC(), Duration.ofHours(1), 10, shared).get("k")).isEmpty();
    }
}
