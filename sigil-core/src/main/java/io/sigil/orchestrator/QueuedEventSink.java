package io.sigil.orchestrator;

import io.sigil.events.EventSink;
import io.sigil.events.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Records a request's events in order on a writer thread of its own. Requests are cancelled by interrupting
 * the threads that run them, and an interrupt during file I/O closes the file channel (the JDK's
 * InterruptibleChannel contract): so the threads that can be interrupted never touch the store; they only
 * queue. {@link #close(Duration)} waits until everything queued is durable.
 */
final class QueuedEventSink implements EventSink {
    private static final Logger log = LoggerFactory.getLogger(QueuedEventSink.class);

    private record Pending(EventType type, Map<String, ?> payload) { }

    private static final Pending END = new Pending(null, Map.of());

    private final EventSink store;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final List<String> failures = new ArrayList<>();

    QueuedEventSink(EventSink store, String name) {
        this.store = store;
        this.writer = Thread.ofVirtual().name("events-" + name).start(this::drain);
    }

    @Override
    public void emit(EventType type, Map<String, ?> payload) {
        queue.add(new Pending(type, Map.copyOf(payload)));
    }

    private void drain() {
        while (true) {
            Pending p;
            try {
                p = queue.take();
            } catch (InterruptedException e) {
                continue; // nobody should interrupt the writer; keep draining
            }
            if (p == END) return;
            try {
                store.emit(p.type(), p.payload());
            } catch (RuntimeException e) {
                log.warn("could not record {} event: {}", p.type(), e.getMessage());
                synchronized (failures) {
                    failures.add(p.type() + ": " + e.getMessage());
                }
            }
        }
    }

    /** Writes what is queued and stops; returns the events that could not be recorded. */
    List<String> close(Duration wait) {
        queue.add(END);
        try {
            if (!writer.join(wait)) {
                synchronized (failures) {
                    failures.add("events still being written after " + wait.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

}
