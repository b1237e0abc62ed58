package io.sigil.orchestrator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Learning from finished runs, off the request path: a run hands its exchange over and returns its response at
 * once; a few worker threads extract, embed and store. The queue is bounded so that a burst cannot grow memory
 * without limit: when it is full the exchange is refused and the run says so (a warning), never silently.
 * A job's failure is reported by the job itself (its run's events) and logged here as a backstop.
 * {@link #close(Duration)} stops taking work and drains what is queued.
 */
final class BackgroundLearner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundLearner.class);
    static final int DEFAULT_CAPACITY = 1024;
    static final int DEFAULT_WORKERS = 2;
    private static final Runnable STOP = () -> { };

    private final BlockingQueue<Runnable> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    BackgroundLearner(int capacity, int workers) {
        this.queue = new ArrayBlockingQueue<>(capacity + workers); // room for the stop markers
        for (int i = 0; i < workers; i++) {
            this.workers.add(Thread.ofPlatform().daemon().name("sigil-learn-" + i).start(this::work));
        }
    }

    /** Queues a learning job; false when the queue is full or closed (the caller reports that). */
    boolean submit(Runnable job) {
        if (closed) return false;
        return queue.remainingCapacity() > workers.size() && queue.offer(job);
    }

    boolean isClosed() { return closed; }

    /** Jobs waiting (not counting those running). */
    int backlog() { return queue.size(); }

    /** Jobs that threw. */
    long failures() { return failed.get(); }

    private void work() {
        while (true) {
            Runnable job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                continue; // drained on close, not interrupted away
            }
            if (job == STOP) return;
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                failed.incrementAndGet();
                log.warn("learning from a run failed: {}", e.toString());
            }
        }
    }

    /** Stops taking jobs and waits up to {@code wait} for the queued ones; returns how many were left undone. */
    int close(Duration wait) {
        closed = true;
        for (int i = 0; i < workers.size(); i++) {
            try {
                queue.put(STOP);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (Thread t : workers) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = (int) queue.stream().filter(j -> j != STOP).count();
        if (left > 0 || workers.stream().anyMatch(Thread::isAlive)) {
            log.warn("stopped with {} run(s) not yet learned from (still running after {} s)", left, wait.toSeconds());
        }
        return left;
    }

    @Override
    public void close() { close(Duration.ofSeconds(60)); }

    /** Waits until every job queued so far has run (tests, benchmarks). */
    boolean awaitIdle(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        var done = new java.util.concurrent.CountDownLatch(workers.size());
        var barrier = new java.util.concurrent.CyclicBarrier(workers.size());
        for (int i = 0; i < workers.size(); i++) {
            // Each worker takes one marker and holds until all have: every job queued before them has finished.
            if (!queue.offer(() -> {
                try {
                    barrier.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // timed out or broken: awaitIdle reports false below
                }
                done.countDown();
            }, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) return false;
        }
        return done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
