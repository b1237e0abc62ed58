package io.sigil.orchestrator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LingerClockTest {
    private static final Duration DELAY = Duration.ofMillis(20);

    @Test
    void runsEachTaskOnceNoSoonerThanItsDelayInTheOrderScheduled() throws InterruptedException {
        var clock = new LingerClock("test", DELAY, Duration.ofSeconds(1));
        var ran = new ConcurrentLinkedQueue<Integer>();
        var early = new ConcurrentLinkedQueue<Integer>();
        var all = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            int n = i;
            long scheduled = System.nanoTime();
            clock.schedule(() -> {
                if (System.nanoTime() - scheduled < DELAY.toNanos()) early.add(n);
                ran.add(n);
                all.countDown();
            });
            if (i % 10 == 0) Thread.sleep(3);
        }
        assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(DELAY.toMillis() * 3);
        assertThat(ran).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).boxed().toList());
        assertThat(early).isEmpty();
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() throws InterruptedException {
        var clock = new LingerClock("test", DELAY, Duration.ofSeconds(1));
        var done = new CountDownLatch(1);
        clock.schedule(() -> { throw new IllegalStateException("boom (expected by the test)"); });
        clock.schedule(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theThreadEndsWhenIdleAndALaterTaskStartsItAgain() throws InterruptedException {
        var clock = new LingerClock("test", Duration.ofMillis(1), Duration.ofMillis(30));
        assertThat(clock.running()).isFalse();
        var first = new CountDownLatch(1);
        clock.schedule(first::countDown);
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (clock.running() && System.nanoTime() < deadline) Thread.sleep(5);
        assertThat(clock.running()).as("idle thread ended").isFalse();

        // Many schedulers racing the thread's start and its end: every task still runs.
        var later = new CountDownLatch(2_000);
        List<Thread> schedulers = new java.util.ArrayList<>();
        for (int t = 0; t < 4; t++) {
            schedulers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 500; i++) {
                    clock.schedule(later::countDown);
                    if (i % 50 == 0) {
                        try {
                            Thread.sleep(35); // now and then long enough for the thread to end
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }));
        }
        for (Thread s : schedulers) s.join();
        assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
