package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.cluster.LocalClusterBus;
import io.sigil.cluster.LocalSessionLeases;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.runs.RunInput;
import io.sigil.server.runs.RunLauncher;
import io.sigil.server.runs.RunSink;
import io.sigil.sessions.Caller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ClusterRuns} over the in-process adapters and a launcher whose runs last until cancelled. */
class ClusterRunsTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final LocalSessionLeases leases = new LocalSessionLeases();
    private final LocalClusterBus bus = new LocalClusterBus();
    private final HeldRuns held = new HeldRuns();
    private final ClusterRuns runs = new ClusterRuns(held, leases, bus, mapper);

    @AfterEach
    void close() { runs.close(); }

    @Test
    void aSecondRunOfASessionIsRefusedUntilTheFirstEnds() {
        RunLauncher.ActiveRun first = runs.launch(input("s1"), new Collect());
        assertThat(leases.held("s1")).isTrue();
        assertThatThrownBy(() -> runs.launch(input("s1"), new Collect())).isInstanceOfSatisfying(ApiProblem.class,
                p -> {
                    assertThat(p.problem().status()).isEqualTo(409);
                    assertThat(p.problem().detail()).contains("s1").contains("/sessions/s1/cancel");
                });
        assertThat(runs.launch(input("s2"), new Collect())).as("another session").isNotNull();
        first.cancel("done");
        assertThat(leases.held("s1")).as("released at the end").isFalse();
        assertThat(runs.launch(input("s1"), new Collect())).isNotNull();
    }

    @Test
    void aNewSessionIsLeasedAtItsFirstMessageAndItsMessagesAreRelayed() throws Exception {
        List<String> relayed = new CopyOnWriteArrayList<>();
        Collect sink = new Collect();
        RunLauncher.ActiveRun run = runs.launch(input(null), sink);
        try (var follow = bus.subscribe(ClusterRuns.runChannel("new-1"), relayed::add)) {
            held.publish("status", Map.of("stage", "session", "session_id", "new-1"));
            assertThat(leases.held("new-1")).isTrue();
            held.publish("token", Map.of("delta", "hi"));
            run.cancel("stop");
        }
        assertThat(relayed).hasSize(3);
        assertThat(mapper.readTree(relayed.get(1)).path("data").path("delta").asText()).isEqualTo("hi");
        assertThat(mapper.readTree(relayed.get(2)).path("type").asText()).isEqualTo("complete");
        assertThat(sink.types).containsExactly("status", "token", "complete");
    }

    @Test
    void aCancelMessageFromAnyReplicaCancelsTheRunHere() {
        Collect sink = new Collect();
        runs.launch(input("s3"), sink);
        bus.publish(ClusterRuns.CANCEL_CHANNEL, ClusterRuns.cancelMessage(mapper, "s3", "via b"));
        assertThat(held.cancelReasons).containsExactly("via b");
        assertThat(sink.types).endsWith("complete");
        bus.publish(ClusterRuns.CANCEL_CHANNEL, "not json"); // ignored, logged
        bus.publish(ClusterRuns.CANCEL_CHANNEL, ClusterRuns.cancelMessage(mapper, "elsewhere", "x"));
        assertThat(held.cancelReasons).hasSize(1);
    }

    private static RunInput input(String session) {
        return new RunInput("bot", "hello", session, Map.of(), null, Caller.LOCAL_ADMIN);
    }

    private static final class Collect implements RunSink {
        final List<String> types = new CopyOnWriteArrayList<>();

        @Override
        public void publish(String type, Object data) { types.add(type); }

        @Override
        public void ended() { }
    }

    /** Runs that publish what the test says and end (with complete) when cancelled. */
    private static final class HeldRuns implements RunLauncher {
        final List<String> cancelReasons = new CopyOnWriteArrayList<>();
        private volatile RunSink current;

        void publish(String type, Object data) { current.publish(type, data); }

        @Override
        public void requireAgent(String name) { }

        @Override
        public ActiveRun launch(RunInput input, RunSink sink) {
            current = sink;
            return new ActiveRun() {
                private boolean ended;

                @Override
                public void cancel() { cancel("cancelled"); }

                @Override
                public synchronized void cancel(String reason) {
                    if (ended) return;
                    ended = true;
                    cancelReasons.add(reason);
                    sink.publish("complete", Map.of("status", "cancelled"));
                    sink.ended();
                }

                @Override
                public boolean await(Duration wait) { return ended; }
            };
        }
    }
}
