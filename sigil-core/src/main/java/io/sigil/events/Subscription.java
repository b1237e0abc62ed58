package io.sigil.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A live tail of an {@link EventStore}: catches up from a position, then follows new durable events. Runs on
 * one virtual thread; a listener that throws ends the subscription (see {@link #failure()}).
 */
public final class Subscription implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Subscription.class);
    private static final int BATCH = 512;

    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile long nextPosition;

    private Subscription(EventStore store, long fromPosition, Consumer<RecordedEvent> listener) {
        this.nextPosition = Math.max(1, fromPosition);
        this.thread = Thread.ofVirtual().name("sigil-subscription").unstarted(() -> run(store, listener));
    }

    static Subscription start(EventStore store, long fromPosition, Consumer<RecordedEvent> listener) {
        var s = new Subscription(store, fromPosition, listener);
        s.thread.start();
        return s;
    }

    private void run(EventStore store, Consumer<RecordedEvent> listener) {
        try {
            while (!closed) {
                long head = store.lastPosition(); // read first: the batch below covers at least up to here
                List<RecordedEvent> batch = store.readAll(nextPosition, BATCH);
                for (RecordedEvent e : batch) {
                    if (closed) return;
                    listener.accept(e);
                    nextPosition = e.position() + 1;
                }
                if (batch.size() < BATCH) {
                    // Positions of deleted sessions are gaps that readAll skips; step over them.
                    nextPosition = Math.max(nextPosition, head + 1);
                    store.awaitPosition(nextPosition - 1, Duration.ofMillis(500));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                failure = e;
                log.warn("event subscription stopped at position {}: {}", nextPosition, e.toString());
            }
        }
    }

    /** The position of the next event this subscription will deliver. */
    public long nextPosition() { return nextPosition; }

    /** Why the subscription stopped, or null while it runs or after a normal close. */
    public Throwable failure() { return failure; }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
