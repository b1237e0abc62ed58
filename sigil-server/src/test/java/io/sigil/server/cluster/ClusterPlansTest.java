package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.LocalClusterBus;
import io.sigil.planning.RunningPlans;
import io.sigil.sessions.Caller;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Steering requests between replicas, without a plan executing anywhere (PlansHttpTest steers a live one through a
 * second server): nobody answers, Redis down, a bad action, a malformed message.
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
        }
    }
}
