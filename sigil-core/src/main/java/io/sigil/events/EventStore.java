package io.sigil.events;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The durable log of session events (sigil-design.md section 4). Each session is a stream whose version is
 * its event count; every event also has a position in the store's global order.
 *
 * <p>Guarantees every adapter keeps (the conformance suite checks them):
 * <ul>
 *   <li>an append is all or nothing and returns only after its events are durable;</li>
 *   <li>{@link ExpectedVersion} is checked atomically with the append;</li>
 *   <li>appends are idempotent by event id: resending the same batch (or a run of its events, in order) to the
 *       same session returns where they already are (also after a restart), whatever the expected version; the
 *       same ids anywhere else, in another order or mixed with new ones are a {@link DuplicateEventError};</li>
 *   <li>at most {@code max_events_per_session} events per session ({@link SessionFullError});</li>
 *   <li>after a {@code session.ended} event only {@link AppendOption#ADMIN_OVERRIDE} appends
 *       ({@link SessionEndedError}).</li>
 * </ul>
 */
public interface EventStore extends AutoCloseable {

    AppendResult append(String sessionId, ExpectedVersion expected, List<Event> events, AppendOption... options);

    /** The session's events from {@code fromVersion} (1 = all), in order; empty for an unknown session. */
    List<RecordedEvent> read(String sessionId, long fromVersion);

    /** Up to {@code maxCount} events of all sessions from global position {@code fromPosition} (1 = all), in order. */
    List<RecordedEvent> readAll(long fromPosition, int maxCount);

    /** The session's version: its number of events, 0 when it does not exist. */
    long version(String sessionId);

    /** Every session in the store. */
    List<StreamInfo> sessions();

    /** Removes a session and its events; false when there was no such session. */
    boolean delete(String sessionId);

    /** The position of the last durable event (0 when empty). */
    long lastPosition();

    /**
     * Waits until an event after {@code position} is durable or the timeout passes; true when there is one.
     * Subscriptions build on this.
     */
    boolean awaitPosition(long position, Duration timeout) throws InterruptedException;

    /**
     * Delivers every event from {@code fromPosition} on, in order, then new ones as they become durable (live
     * tail), on its own thread until the subscription is closed.
     */
    default Subscription subscribe(long fromPosition, Consumer<RecordedEvent> listener) {
        return Subscription.start(this, fromPosition, listener);
    }

    @Override
    void close();
}
