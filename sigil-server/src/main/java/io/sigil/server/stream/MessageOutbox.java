package io.sigil.server.stream;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The ordered, bounded queue between a run (which publishes from its worker threads and must never wait on a
 * client) and one connection (which a single sender drains at the client's pace).
 *
 * <p>Backpressure: when the queue is three quarters full the client gets one {@code warning} message with code
 * {@code backpressure}; when it is full the outbox takes no more messages, {@code onOverflow} runs (the run is
 * cancelled) and the sender delivers what is queued - the warning included - then stops, and the connection is
 * closed ({@link #overflowed()}). Nothing is silently skipped before that.
 */
public final class MessageOutbox {
    /** Sends one message; blocks until the transport has taken it (that is what makes a slow client visible). */
    @FunctionalInterface
    public interface Transport {
        void send(StreamMessage message) throws IOException;
    }

    private static final StreamMessage END = new StreamMessage("end", null, java.time.Instant.EPOCH, -1);

    private final BlockingQueue<StreamMessage> queue;
    private final int capacity;
    private final Clock clock;
    private final Runnable onOverflow;
    private long sequence;
    private boolean warned;
    private boolean closed;
    private volatile boolean aborted;
    private volatile boolean overflowed;

    /** @param capacity messages that may wait for a slow client before it is dropped */
    public MessageOutbox(int capacity, Clock clock, Runnable onOverflow) {
        if (capacity < 4) throw new IllegalArgumentException("capacity must be at least 4");
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 2); // + the backpressure warning + END
        this.clock = clock;
        this.onOverflow = onOverflow;
    }

    /** Queues a message; false once the outbox is closed or has overflowed. Never blocks. */
    public boolean publish(String type, Object data) {
        boolean overflow;
        synchronized (this) {
            if (closed) return false;
            int size = queue.size();
            overflow = size >= capacity;
            if (!overflow) {
                if (!warned && size >= capacity * 3 / 4) {
                    warned = true;
                    queue.add(next("warning", Map.of("code", "backpressure", "message",
                            "The client is reading too slowly: " + size + " of " + capacity
                                    + " messages are waiting. The connection is closed if the queue fills.")));
                }
                queue.add(next(type, data));
                return true;
            }
            closed = true;
            overflowed = true;
            queue.add(END);
        }
        onOverflow.run();
        return false;
    }

    private StreamMessage next(String type, Object data) {
        return new StreamMessage(type, data, clock.instant(), ++sequence);
    }

    /** No more messages: the sender stops after delivering what is queued. */
    public synchronized void finish() {
        if (closed) return;
        closed = true;
        queue.add(END);
    }

    /** Stops now, dropping what is queued (the connection is gone). */
    public void abort() {
        synchronized (this) {
            aborted = true;
            closed = true;
            queue.clear();
            queue.add(END);
        }
    }

    public boolean aborted() { return aborted; }

    /** True when a client was too slow and the outbox stopped taking messages. */
    public boolean overflowed() { return overflowed; }

    public synchronized int pending() { return queue.size(); }

    /**
     * Delivers messages in order until {@link #finish()} (after the last one) or {@link #abort()}. Runs on the
     * caller's thread; a failing transport aborts the outbox and is rethrown.
     */
    public void drainTo(Transport transport) throws IOException, InterruptedException {
        drainTo(transport, null, null);
    }

    /** Like {@link #drainTo(Transport)}; calls {@code idle} whenever nothing was queued for {@code idleEvery}. */
    public void drainTo(Transport transport, Duration idleEvery, Runnable idle) throws IOException, InterruptedException {
        while (true) {
            StreamMessage m = idleEvery == null ? queue.take() : queue.poll(idleEvery.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                if (idle != null) idle.run();
                continue;
            }
            if (m == END || aborted) return;
            try {
                transport.send(m);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }
    }
}
