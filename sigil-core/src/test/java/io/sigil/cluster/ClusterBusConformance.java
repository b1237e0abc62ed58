package io.sigil.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link ClusterBus} adapter does the same way (in-process, Redis pub/sub). Delivery may be asynchronous. */
public abstract class ClusterBusConformance {

    /** A bus; two calls must reach each other (two replicas). */
    protected abstract ClusterBus bus();

    protected String channel() { return "chan-" + UUID.randomUUID(); }

    @Test
    void everySubscriberOfTheChannelGetsEveryMessageInOrder() throws Exception {
        String ch = channel();
        ClusterBus a = bus();
        ClusterBus b = bus();
        List<String> gotA = new CopyOnWriteArrayList<>();
        List<String> gotB = new CopyOnWriteArrayList<>();
        List<String> other = new CopyOnWriteArrayList<>();
        try (var sa = a.subscribe(ch, gotA::add); var sb = b.subscribe(ch, gotB::add);
             var so = b.subscribe(channel(), other::add)) {
            for (int i = 0; i < 20; i++) a.publish(ch, "m" + i);
            await(() -> gotA.size() == 20 && gotB.size() == 20);
            assertThat(gotB).containsExactlyElementsOf(gotA);
            assertThat(gotA.getFirst()).isEqualTo("m0");
            assertThat(gotA.getLast()).isEqualTo("m19");
            assertThat(other).as("another channel").isEmpty();
        }
    }

    @Test
    void aClosedSubscriptionGetsNothingMore() throws Exception {
        String ch = channel();
        ClusterBus bus = bus();
        List<String> closed = new CopyOnWriteArrayList<>();
        List<String> open = new CopyOnWriteArrayList<>();
        var gone = bus.subscribe(ch, closed::add);
        try (var stays = bus.subscribe(ch, open::add)) {
            bus.publish(ch, "one");
            await(() -> closed.size() == 1 && open.size() == 1);
            gone.close();
            bus.publish(ch, "two");
            await(() -> open.size() == 2);
            assertThat(closed).containsExactly("one");
        }
    }

    @Test
    void aCountedPublishTellsHowManyReplicasListenOnTheChannel() throws Exception {
        String ch = channel();
        ClusterBus a = bus();
        ClusterBus b = bus();
        List<String> got = new CopyOnWriteArrayList<>();
        try (var sa = a.subscribe(ch, got::add)) {
            var sb = b.subscribe(ch, got::add);
            assertThat(b.publishCounted(ch, "to both")).isEqualTo(2);
            await(() -> got.size() == 2);
            sb.close();
            await(() -> a.publishCounted(ch, "to a") == 1); // a replica's unsubscribe may take a moment to reach Redis
        }
        assertThat(a.publishCounted(channel(), "to nobody")).isZero();
    }

    @Test
    void reportsConnected() {
        assertThat(bus().connected()).isTrue();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not delivered within 10 s");
            Thread.sleep(10);
        }
    }
}
