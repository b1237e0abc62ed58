package io.sigil.postgres;

import io.sigil.errors.SigilError;
import io.sigil.errors.StateError;
import io.sigil.events.AppendResult;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The outcome of one append, waited for by the thread that made it. A group's outcomes are released together: the
 * committer sets them all and wakes only the first {@value #ROOTS} waiters; each waiter, once awake, wakes
 * {@value #FAN_OUT} more (a tree over the group). Waking a parked platform thread is a futex wake, about 10 us of CPU on this kind of
 * virtual machine (measured, docs/benchmarks.md): done by the committer for every append of a 256-append group,
 * it kept the group's commit path busy for milliseconds before the next group could be written. A waiter that
 * gives up (interrupted) before it is woken leaves its share of the waking to whoever wakes it.
 */
final class PendingAppend {
    /** Waiters the committer wakes itself: a group this small is woken as before, without the latency of a tree. */
    static final int ROOTS = 16;
    /** Waiters each woken waiter wakes. */
    static final int FAN_OUT = 4;
    private static final int WAITING = 0;
    /** Woken by its parent: it wakes its children. */
    private static final int WOKEN = 1;
    /** Saw its outcome before its parent came: it woke its children itself. */
    private static final int DONE = 2;
    /** Gave up waiting: its parent wakes its children for it. */
    private static final int ABANDONED = 3;

    private final Thread waiter = Thread.currentThread();
    private final AtomicInteger state = new AtomicInteger(WAITING);
    /** The group's waiters, in release order; written before {@link #outcome}, read after it. */
    private PendingAppend[] tree;
    private int index;
    /** An {@link AppendResult} or the {@link RuntimeException} that refused the append; null while waiting. */
    private volatile Object outcome;

    /** Sets the outcomes of a group (same order) and starts waking its waiters. */
    static void release(List<AppendRequest> group, List<?> outcomes) {
        PendingAppend[] tree = new PendingAppend[group.size()];
        for (int i = 0; i < tree.length; i++) tree[i] = group.get(i).done();
        for (int i = 0; i < tree.length; i++) {
            tree[i].tree = tree;
            tree[i].index = i;
            tree[i].outcome = outcomes.get(i);
        }
        for (int i = 0; i < Math.min(ROOTS, tree.length); i++) tree[i].wake();
    }

    /** Fails every append of a group with {@code error}. */
    static void fail(List<AppendRequest> group, RuntimeException error) {
        release(group, Collections.nCopies(group.size(), error));
    }

    /** Waits for the outcome: the result, or the refusal thrown. */
    AppendResult await() {
        Object o;
        boolean interrupted = false;
        while ((o = outcome) == null) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true;
                if (outcome == null && state.compareAndSet(WAITING, ABANDONED)) {
                    Thread.currentThread().interrupt();
                    throw new StateError("interrupted while waiting for the append to commit",
                            "retry the request (appends are idempotent by event id)");
                }
            }
        }
        if (state.compareAndSet(WAITING, DONE) || state.get() == WOKEN) wakeChildren();
        if (interrupted) Thread.currentThread().interrupt();
        if (o instanceof AppendResult result) return result;
        if (o instanceof SigilError s) throw s;
        throw new StateError("appending to PostgreSQL failed: " + o, null, java.util.Map.of(), false, (Throwable) o);
    }

    private void wake() {
        if (state.compareAndSet(WAITING, WOKEN)) {
            if (waiter != Thread.currentThread()) LockSupport.unpark(waiter); // a caller that wrote its own append
        }
        else if (state.get() == ABANDONED) wakeChildren();
        // DONE: it saw its outcome by itself and woke its children
    }

    private void wakeChildren() {
        PendingAppend[] t = tree;
        int first = ROOTS + index * FAN_OUT;
        for (int i = first; i < Math.min(first + FAN_OUT, t.length); i++) t[i].wake();
    }
}
