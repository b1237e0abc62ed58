package io.sigil.events.file;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The durability of {@link FileEventStore}'s appends, as a group commit: one syncer thread forces the channel for
 * everything written so far and wakes every append that force covered; while it forces, other appends keep writing
 * and ride on the next force. Readers see only what a force covered ({@link #durablePosition()}).
 */
final class GroupCommit {
    /** How long the syncer lets appends gather before a force, when the previous force covered several. */
    static final long COMMIT_DELAY_NANOS = 200_000;

    /** What has been written: the segment holding the newest bytes, the commit count and the newest position. */
    record Head(Segment segment, long commit, long lastPosition) { }

    /** The store this commits for: what is written, whether it still runs, and what a failed force does. */
    interface Log {
        Head head();

        /** False once closed or stopped: the syncer ends. */
        boolean running();

        /** Throws when the store is closed or stopped (an append waiting for durability then fails). */
        void checkRunning();

        /** A force failed: nothing after the last successful one may be acknowledged. */
        void forceFailed(IOException e);
    }

    /** An append waiting for its commit to be durable. */
    private record Waiter(long commit, Thread thread) { }

    private final Log log;
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicLong requestedCommit = new AtomicLong();
    private final Object durableSignal = new Object();
    private final Thread syncer; // null when read-only
    private volatile long durableCommit;
    private volatile long durablePosition;

    /** @param name names the syncer thread; null: read-only, nothing is ever forced */
    GroupCommit(String name, Log log, long durablePosition) {
        this.log = log;
        this.durablePosition = durablePosition;
        this.syncer = name == null ? null : Thread.ofPlatform().daemon().name("sigil-event-sync " + name).unstarted(this::syncLoop);
    }

    void start() {
        if (syncer != null) syncer.start();
    }

    long durablePosition() { return durablePosition; }

    /** Appends written and waiting for a force (for {@code /debug/state}). */
    int pending() { return waiters.size(); }

    /** Parks until commit {@code commit} is on disk; the syncer thread forces and wakes every append it covered. */
    void awaitDurable(long commit) {
        if (durableCommit >= commit) return;
        waiters.add(new Waiter(commit, Thread.currentThread()));
        if (requestedCommit.getAndAccumulate(commit, Math::max) < commit) LockSupport.unpark(syncer);
        while (durableCommit < commit) {
            log.checkRunning();
            LockSupport.park(this);
        }
    }

    /** Wakes the syncer (to see that the store stopped or closed). */
    void wake() {
        if (syncer != null) LockSupport.unpark(syncer);
    }

    /** Ends the syncer (the store is closed) and wakes whoever waits for a position. */
    void close() {
        if (syncer != null) {
            LockSupport.unpark(syncer);
            try {
                syncer.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        signal();
    }

    /** Waits until an event after {@code position} is durable, the timeout passes or the store stops. */
    boolean awaitPosition(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (durableSignal) {
            while (durablePosition <= position && log.running()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                durableSignal.wait(Math.max(1, left / 1_000_000));
            }
        }
        return durablePosition > position;
    }

    /**
     * The group commit loop, on its own thread: force everything written so far, then wake each append that
     * the force covered. Appends that arrive during a force ride on the next one. A failed force stops the store
     * and wakes everyone (they see the stop and fail).
     */
    private void syncLoop() {
        long covered = 0; // commits the previous force made durable
        while (log.running()) {
            if (requestedCommit.get() <= durableCommit) {
                LockSupport.park(this);
                continue;
            }
            // Under load (the previous force covered several appends), let appends gather briefly so that one
            // force covers more of them: each force costs CPU here and in the kernel's journal thread.
            if (covered > 1) LockSupport.parkNanos(this, COMMIT_DELAY_NANOS);
            Head h = log.head(); // everything written so far rides on this force
            try {
                h.segment().channel.force(false);
            } catch (IOException e) {
                log.forceFailed(e);
                break;
            }
            covered = h.commit() - durableCommit;
            durableCommit = h.commit();
            durablePosition = h.lastPosition();
            for (var it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.commit() <= h.commit()) {
                    it.remove();
                    LockSupport.unpark(w.thread());
                }
            }
            signal();
        }
        for (Waiter w : waiters) LockSupport.unpark(w.thread());
        signal();
    }

    private void signal() {
        synchronized (durableSignal) {
            durableSignal.notifyAll();
        }
    }
}
