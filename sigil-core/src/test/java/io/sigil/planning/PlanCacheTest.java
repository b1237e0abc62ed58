package io.sigil.planning;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlanCacheTest {
    /** A clock tests can move. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    private final Plan plan = new Plan("p", "g", List.of(PlanStep.reasoning("a", "x")), Instant.EPOCH);

    @Test
    void expiresAfterTheTtl() {
        MutableClock clock = new MutableClock();
        PlanCache cache = new PlanCache(clock, Duration.ofHours(24), 10);
        cache.put("k", plan);

        clock.now = clock.now.plus(Duration.ofHours(23));
        assertThat(cache.get("k")).contains(plan);
        clock.now = clock.now.plus(Duration.ofHours(1));
        assertThat(cache.get("k")).isEmpty();
    }

    @Test
    void evictsTheLeastRecentlyUsedBeyondItsSize() {
        PlanCache cache = new PlanCache(new MutableClock(), Duration.ofHours(1), 2);
        cache.put("a", plan);
        cache.put("b", plan);
        cache.get("a");
        cache.put("c", plan);

        assertThat(cache.get("b")).isEmpty();
        assertThat(cache.get("a")).isPresent();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void keyIgnoresToolOrderButNotGoalOrContext() {
        assertThat(PlanCache.key("g", List.of("x", "y"), "c")).isEqualTo(PlanCache.key("g", List.of("y", "x"), "c"));
        assertThat(PlanCache.key("g", List.of(), "c")).isNotEqualTo(PlanCache.key("g", List.of(), "d"));
        assertThat(PlanCache.key("g", List.of(), null)).isNotEqualTo(PlanCache.key("h", List.of(), null));
    }
}
