package io.sigil.orchestrator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs tasks once, each {@code delay} (to within half of it) after it was scheduled, on one platform thread
 * shared by all runs: the timed flushes of {@link QueuedEventSink}. Every task has the same delay, so a FIFO
 * queue is in due order, and scheduling is a queue offer that wakes the thread only when it is idle. A
 * {@code ScheduledThreadPoolExecutor} did the same with a futex wake of its thread whenever a new task became the
 * head of its queue, about once per run under load, and removing cancelled tasks made that the common case.
 *
 * <p>Tasks are not cancelled: each checks whether it still has work (a closed sink's flush returns at once). Tasks
 * must not block. The thread starts on demand and ends after {@code idleExit} with nothing scheduled, so an
 * unused clock holds no thread and needs no close.
 */
final class LingerClock {
    private static final Logger log = LoggerFactory.getLogger(LingerClock.class);

    private record Entry(long due, Runnable task) { }

    private final String name;
    private final long delay;
    private final long idleExit;
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    /** The thread has nothing to wait for (or does not exist): the next schedule must wake (or start) it. */
    private volatile boolean idle = true;
    private Thread thread; // guarded by this

    LingerClock(String name, Duration delay, Duration idleExit) {
        this.name = name;
        this.delay = delay.toNanos();
        this.idleExit = idleExit.toNanos();
    }

    void schedule(Runnable task) {
        entries.add(new Entry(System.nanoTime() + delay, task));
        if (idle) wake();
    }

    private synchronized void wake() {
        if (thread == null) thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
        else LockSupport.unpark(thread);
    }

    /** Whether the clock's thread is alive (for tests). */
    synchronized boolean running() { return thread != null; }

    private void loop() {
        while (true) {
            Entry next = entries.peek();
            if (next == null) {
                idle = true;
                // a schedule after this check sees idle and unparks us
                if (entries.isEmpty()) {
                    LockSupport.parkNanos(this, idleExit);
                    if (entries.isEmpty() && exitIfStillIdle()) return;
                }
                idle = false;
                continue;
            }
            long wait = next.due() - System.nanoTime();
            if (wait > 0) {
                // Wake at most every delay/2 under load, running whatever fell due meanwhile together.
                LockSupport.parkNanos(this, Math.max(wait, delay / 2));
                continue;
            }
            entries.poll();
            try {
                next.task().run();
            } catch (RuntimeException e) {
                log.error("timed task failed", e);
            }
        }
    }

    private synchronized boolean exitIfStillIdle() {
        if (!entries.isEmpty()) return false;
        thread = null; // a schedule from now on, blocked on this lock until we return, starts a new thread
        return true;
    }
}
