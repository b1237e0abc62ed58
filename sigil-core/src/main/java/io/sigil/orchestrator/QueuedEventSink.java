package io.sigil.orchestrator;

import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A request's events, recorded in order with as few appends as possible. The run thread only queues; what is
 * queued is appended (one append, one durable wait, for all of it) either by {@link #close} at the end of the run
 * or, for a run still going {@link #LINGER} after an event was queued, by a flush on a virtual thread of its own.
 * A short run therefore costs one append and no extra thread, and a long run's events (a model call can take
 * minutes) are still durable within a few milliseconds.
 *
 * <p>Appends never happen on a thread that may be interrupted: an interrupt during file I/O closes the channel
 * (the JDK's InterruptibleChannel contract), which would stop the whole event store. The run calls
 * {@link #close} only after it has made itself uninterruptible ({@link RequestRun}); timed flushes run on threads
 * nobody interrupts. Events emitted after close (late learning) are appended on a thread of their own.
 */
final class QueuedEventSink implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(QueuedEventSink.class);
    static final Duration LINGER = Duration.ofMillis(5);

    private final EventSink store;
    private final LingerClock clock;
    private final String name;
    private final ReentrantLock appending = new ReentrantLock(); // one append at a time keeps the order
    private final Object queueLock = new Object();
    private List<Emitted> queued = new ArrayList<>();
    private boolean flushScheduled;
    private boolean closed;
    private final List<String> failures = new ArrayList<>();
    private volatile boolean outOfSpace;

    /**
     * @param clock runs the flush of a run still going after {@link #LINGER}; the flush only starts a virtual
     *              thread, so one clock thread serves every run
     */
    QueuedEventSink(EventSink store, LingerClock clock, String name) {
        this.store = store;
        this.clock = clock;
        this.name = name;
    }

    @Override
    public void emit(EventType type, Map<String, ?> payload) {
        var event = new Emitted(type, Map.copyOf(payload));
        boolean schedule;
        synchronized (queueLock) {
            if (closed) {
                Thread.ofVirtual().name("events-late-" + name).start(() -> appendAll(List.of(event)));
                return;
            }
            queued.add(event);
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) clock.schedule(this::flushSoon);
    }

    /** On the clock's thread: hand the append to a virtual thread if the run has not closed in the meantime. */
    private void flushSoon() {
        synchronized (queueLock) {
            if (closed || queued.isEmpty()) return;
        }
        Thread.ofVirtual().name("events-" + name).start(this::flush);
    }

    private void flush() {
        appending.lock();
        try {
            List<Emitted> batch;
            synchronized (queueLock) {
                batch = queued;
                queued = new ArrayList<>();
                flushScheduled = false;
            }
            if (!batch.isEmpty()) appendAll(batch);
        } finally {
            appending.unlock();
        }
    }

    private void appendAll(List<Emitted> batch) {
        try {
            store.emitAll(batch);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                log.warn("could not record {} event: {}", batch.getFirst().type(), e.getMessage());
                if (e instanceof io.sigil.errors.StorageFullError) outOfSpace = true;
                synchronized (failures) {
                    failures.add(batch.getFirst().type() + ": " + e.getMessage());
                }
            } else {
                // one bad event must not cost the others: record them one by one
                for (Emitted one : batch) appendAll(List.of(one));
            }
        }
    }

    /** True when an event could not be recorded because the store's device is full. */
    boolean outOfSpace() { return outOfSpace; }

    /**
     * Appends what is queued (waiting up to {@code wait} for a flush in progress) and returns the events that could
     * not be recorded. The caller's thread must not be interruptible any more.
     */
    List<String> close(Duration wait) {
        try {
            if (appending.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    List<Emitted> rest;
                    synchronized (queueLock) {
                        closed = true;
                        rest = queued;
                        queued = List.of();
                    }
                    if (!rest.isEmpty()) appendAll(rest);
                } finally {
                    appending.unlock();
                }
            } else {
                synchronized (failures) {
                    failures.add("events still being written after " + wait.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (failures) {
                failures.add("interrupted while recording the events");
            }
        }
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }
}
