package io.sigil.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes log events on one background thread, in batches, to the appenders it owns (the server's stderr and log
 * file). Callers only queue: they never wait for a disk or a pipe, and nothing is dropped (a caller that finds the
 * queue full waits for room).
 *
 * <p>Why not Logback's {@code AsyncAppender}: its blocking queue wakes the writer for every line (a futex wake and two
 * context switches per line and appender), which at thousands of requests a second was 7% of the server's CPU. Here
 * a busy writer drains whatever arrived, writes it, flushes once, and pauses {@link #BATCH_PAUSE_NANOS}; callers
 * wake it only when it has gone to sleep on an empty queue. Each batch ends with a flush, so a line reaches its file
 * within a few milliseconds even when traffic stops.
 */
final class BackgroundAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    /** How long a busy writer lets lines gather between batches. */
    static final long BATCH_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final List<OutputStreamAppender<ILoggingEvent>> targets;
    private final int capacity;
    private final long stopTimeoutMillis;
    private final ConcurrentLinkedQueue<ILoggingEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private volatile boolean running;
    private Thread writer;

    /**
     * @param targets appenders written on the background thread; each is switched to buffered output (flushed once
     *                per batch) and stopped with this appender
     */
    BackgroundAppender(List<OutputStreamAppender<ILoggingEvent>> targets, int capacity, long stopTimeoutMillis) {
        this.targets = List.copyOf(targets);
        this.capacity = capacity;
        this.stopTimeoutMillis = stopTimeoutMillis;
    }

    @Override
    public void start() {
        for (OutputStreamAppender<ILoggingEvent> t : targets) t.setImmediateFlush(false);
        running = true;
        writer = Thread.ofPlatform().daemon().name("sigil-log-writer").start(this::writeLoop);
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing(); // message, MDC and thread name taken on the caller's thread
        TraceIds.addTo(event); // and the trace the caller is in
        while (queued.get() >= capacity && running) {
            wake();
            LockSupport.parkNanos(BATCH_PAUSE_NANOS / 4);
        }
        queue.add(event);
        queued.incrementAndGet();
        if (sleeping.get()) wake();
    }

    private void wake() {
        if (sleeping.compareAndSet(true, false)) LockSupport.unpark(writer);
    }

    private void writeLoop() {
        while (true) {
            int written = writeBatch();
            if (written > 0) {
                LockSupport.parkNanos(this, BATCH_PAUSE_NANOS);
                continue;
            }
            if (!running) return;
            sleeping.set(true);
            // Re-check after announcing sleep: a line queued before a caller could see the flag would otherwise wait.
            if (queue.isEmpty() && running) LockSupport.park(this);
            sleeping.set(false);
        }
    }

    /** Writes every queued event and flushes; returns how many were written. */
    private int writeBatch() {
        int n = 0;
        for (ILoggingEvent e; (e = queue.poll()) != null; n++) {
            queued.decrementAndGet();
            for (Appender<ILoggingEvent> t : targets) t.doAppend(e);
        }
        if (n > 0) {
            for (OutputStreamAppender<ILoggingEvent> t : targets) flush(t);
        }
        return n;
    }

    private void flush(OutputStreamAppender<ILoggingEvent> target) {
        OutputStream out = target.getOutputStream();
        if (out == null) return;
        try {
            out.flush();
        } catch (IOException e) {
            addError("cannot flush the log appender " + target.getName(), e);
        }
    }

    /** Writes everything queued (waiting at most the stop timeout), then stops the target appenders. */
    @Override
    public void stop() {
        if (!isStarted()) return;
        super.stop();
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(stopTimeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            addWarn(queued.get() + " log lines were not written within " + stopTimeoutMillis + " ms of stopping");
        }
        for (Appender<ILoggingEvent> t : targets) t.stop();
    }
}
