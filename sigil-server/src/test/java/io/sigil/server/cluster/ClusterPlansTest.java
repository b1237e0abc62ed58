package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.LocalClusterBus;
import io.sigil.llm.Usage;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanExecutor;
import io.sigil.planning.PlanListener;
import io.sigil.planning.PlanRun;
import io.sigil.planning.PlanStatus;
import io.sigil.planning.PlanStep;
import io.sigil.planning.RetryPolicy;
import io.sigil.planning.RunningPlans;
import io.sigil.planning.StepRunner;
import io.sigil.redis.RedisClusterBus;
import io.sigil.redis.RedisConnections;
import io.sigil.sessions.Caller;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests between replicas. Steering without a plan executing anywhere (PlansHttpTest steers a live one through a
 * second server): nobody answers, Redis down, a bad action, a malformed message. Listing: each replica's executing
 * plans, as the caller may see them, gathered from all (in-process, and over the machine's Redis when it runs).
 */
class ClusterPlansTest {
    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void withNoReplicaExecutingThePlanTheAnswerIsEmptyAfterTheWait() {
        LocalClusterBus bus = new LocalClusterBus();
        List<String> seen = new ArrayList<>();
        try (ClusterPlans a = new ClusterPlans(new RunningPlans(), bus, mapper);
             ClusterPlans b = new ClusterPlans(new RunningPlans(), bus, mapper);
             ClusterBus.Subscription tap = bus.subscribe(ClusterPlans.CHANNEL, seen::add)) {
            assertThat(a.steer("plan-1", Caller.user("alice"), "pause", Duration.ofMillis(200))).isEmpty();
            assertThat(seen).singleElement().asString().contains("\"plan_id\":\"plan-1\"").contains("\"subject\":\"alice\"")
                    .contains("\"action\":\"pause\"");
            bus.publish(ClusterPlans.CHANNEL, "{not json"); // logged and ignored by both
            assertThat(b.steer("plan-1", Caller.LOCAL_ADMIN, "abort", Duration.ofMillis(50))).isEmpty();
            assertThatThrownBy(() -> a.steer("plan-1", Caller.LOCAL_ADMIN, "explode", Duration.ofMillis(50)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("explode");
        }
    }

    /** A plan of {@code owner}'s executing until {@code release} opens: its one step waits on it. */
    static RunningPlans.Entry executing(String planId, String owner, Instant startedAt, CountDownLatch release) {
        Plan plan = new Plan(planId, "goal of " + planId, List.of(PlanStep.reasoning("only", "wait")), startedAt);
        StepRunner waits = (step, inputs) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new StepRunner.Output("done", Usage.of(1, 1));
        };
        PlanRun run = new PlanExecutor(1, RetryPolicy.DEFAULT, PlanExecutor.Sleeper.REAL)
                .start(plan, Map.of(), waits, null, (type, payload) -> { }, PlanListener.NONE);
        return new RunningPlans.Entry(plan, run, "session-" + planId, Caller.user(owner), startedAt);
    }

    @Test
    void theListGathersEveryReplicasPlansThatTheCallerMaySeeOnceAllHaveAnswered() throws Exception {
        LocalClusterBus bus = new LocalClusterBus();
        CountDownLatch release = new CountDownLatch(1);
        RunningPlans onA = new RunningPlans();
        RunningPlans onB = new RunningPlans();
        Instant t0 = Instant.parse("2026-12-05T08:00:00Z");
        onA.add(executing("plan-a", "alice", t0.plusSeconds(2), release));
        onB.add(executing("plan-b", "alice", t0, release));
        RunningPlans.Entry bobs = executing("plan-bob", "bob", t0.plusSeconds(1), release);
        onB.add(bobs);
        bobs.run().pause();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (bobs.run().status() != PlanStatus.PAUSED && System.nanoTime() < deadline) Thread.sleep(10);
        try (ClusterPlans a = new ClusterPlans(onA, bus, mapper); ClusterPlans b = new ClusterPlans(onB, bus, mapper)) {
            long start = System.nanoTime();
            ClusterPlans.Executions alice = a.executing(Caller.user("alice"), Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no wait once both replicas answered")
                    .isLessThan(Duration.ofSeconds(20));
            assertThat(alice.complete()).isTrue();
            assertThat(alice.plans()).extracting(ClusterPlans.Executing::planId).as("oldest first, bob's left out")
                    .containsExactly("plan-b", "plan-a");
            assertThat(alice.plans().getFirst()).isEqualTo(new ClusterPlans.Executing("plan-b", "session-plan-b",
                    "goal of plan-b", alice.plans().getFirst().status(), t0));

            ClusterPlans.Executions admin = b.executing(Caller.LOCAL_ADMIN, Duration.ofSeconds(30));
            assertThat(admin.plans()).extracting(ClusterPlans.Executing::planId)
                    .containsExactly("plan-b", "plan-bob", "plan-a");
            assertThat(admin.plans().get(1).status()).isEqualTo("paused");
            assertThat(b.executing(Caller.user("carol"), Duration.ofSeconds(30)).plans()).isEmpty();
        } finally {
            release.countDown();
        }
    }

    @Test
    void overRedisTheListWaitsOnlyUntilBothReplicasAnswered() throws Exception {
        try (Socket ignored = new Socket("127.0.0.1", 6379)) {
            // reachable
        } catch (IOException e) {
            Assumptions.abort("Redis is not running on 127.0.0.1:6379 (.ci/run starts it): " + e.getMessage());
        }
        String prefix = "sigil-test:" + UUID.randomUUID() + ":";
        CountDownLatch release = new CountDownLatch(1);
        RunningPlans onA = new RunningPlans();
        RunningPlans onB = new RunningPlans();
        Instant t0 = Instant.parse("2026-12-05T08:00:00Z");
        onA.add(executing("plan-a", "alice", t0, release));
        onB.add(executing("plan-b", "alice", t0.plusSeconds(1), release));
        try (RedisConnections ra = RedisConnections.open("redis://127.0.0.1:6379/0", prefix, Duration.ofSeconds(2));
             RedisConnections rb = RedisConnections.open("redis://127.0.0.1:6379/0", prefix, Duration.ofSeconds(2))) {
            RedisClusterBus busA = connected(new RedisClusterBus(ra));
            RedisClusterBus busB = connected(new RedisClusterBus(rb));
            try (ClusterPlans a = new ClusterPlans(onA, busA, mapper); ClusterPlans b = new ClusterPlans(onB, busB, mapper)) {
                long start = System.nanoTime();
                ClusterPlans.Executions listed = a.executing(Caller.user("alice"), Duration.ofSeconds(30));
                assertThat(listed.complete()).as("both replicas answered").isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not the whole wait")
                        .isLessThan(Duration.ofSeconds(20));
                assertThat(listed.plans()).extracting(ClusterPlans.Executing::planId).containsExactly("plan-a", "plan-b");
            }
        } finally {
            release.countDown();
        }
    }

    /** Once its pub/sub connection is up, so that subscribing waits for Redis to confirm. */
    static RedisClusterBus connected(RedisClusterBus bus) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!bus.connected() && System.nanoTime() < deadline) Thread.sleep(10);
        return bus;
    }

    @Test
    void aReplicaThatDoesNotAnswerLeavesTheListIncompleteAfterTheWait() {
        LocalClusterBus bus = new LocalClusterBus();
        try (ClusterPlans a = new ClusterPlans(new RunningPlans(), bus, mapper);
             ClusterBus.Subscription mute = bus.subscribe(ClusterPlans.CHANNEL, message -> { })) {
            ClusterPlans.Executions listed = a.executing(Caller.user("alice"), Duration.ofMillis(100));
            assertThat(listed.complete()).isFalse();
            assertThat(listed.plans()).isEmpty();
        }
    }

    @Test
    void aBusThatCannotSendIsUnreachableNotAnAnswer() {
        ClusterBus down = new ClusterBus() {
            @Override
            public void publish(String channel, String message) { throw new IllegalStateException("not connected to Redis"); }

            @Override
            public Subscription subscribe(String channel, Consumer<String> listener) { return () -> { }; }

            @Override
            public boolean connected() { return false; }
        };
        try (ClusterPlans plans = new ClusterPlans(new RunningPlans(), down, mapper)) {
            assertThatThrownBy(() -> plans.steer("plan-1", Caller.user("bob"), "resume", Duration.ofSeconds(5)))
                    .isInstanceOf(ClusterPlans.Unreachable.class).hasMessageContaining("not connected to Redis");
            assertThatThrownBy(() -> plans.executing(Caller.user("bob"), Duration.ofSeconds(5)))
                    .isInstanceOf(ClusterPlans.Unreachable.class).hasMessageContaining("not connected to Redis");
        }
    }
}
