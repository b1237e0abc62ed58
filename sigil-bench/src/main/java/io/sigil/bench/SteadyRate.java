package io.sigil.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** The steady rate of writers that count their operations: after they are ready and one second of warm-up. */
public final class SteadyRate {
    private SteadyRate() { }

    /** Operations per second over {@code seconds}; then stops the writers ({@code running}) and waits for them. */
    public static double measure(CountDownLatch ready, AtomicLong done, AtomicBoolean running, List<Thread> writers,
                                 int seconds) throws InterruptedException {
        ready.await();
        Thread.sleep(1000); // warm up
        long before = done.get();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = done.get() - before;
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        for (Thread t : writers) t.join();
        return count / elapsed;
    }
}
