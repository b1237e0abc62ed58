package io.sigil.cluster;

import java.util.function.Consumer;

/**
 * Messages between replicas: a run's cancel request reaches the replica executing it, and a run's stream messages
 * reach clients following it through another replica. At most once and only to current subscribers (a replica
 * that is down misses them), so nothing durable travels here: events stay in the store. The in-process adapter is
 * {@link LocalClusterBus}; the Redis adapter uses pub/sub.
 */
public interface ClusterBus extends AutoCloseable {

    /** Sends {@code message} to the subscribers of {@code channel} on every replica (this one included). */
    void publish(String channel, String message);

    /** What {@link #publishCounted} returns when the adapter cannot tell how many replicas a message reached. */
    long UNKNOWN_REACH = -1;

    /**
     * Like {@link #publish}, and how many subscriptions received the message (one per replica listening on the
     * channel), so that a replica gathering answers from all the others knows how many to wait for.
     */
    default long publishCounted(String channel, String message) {
        publish(channel, message);
        return UNKNOWN_REACH;
    }

    /**
     * Like {@link #publish} but without waiting for the broker, for messages sent on a run's own threads (its
     * stream); failures are dropped, as the bus allows.
     */
    default void publishAsync(String channel, String message) {
        try {
            publish(channel, message);
        } catch (RuntimeException dropped) {
            // at most once: a follower misses it
        }
    }

    /** Calls {@code listener} with each message of {@code channel} until the subscription is closed. */
    Subscription subscribe(String channel, Consumer<String> listener);

    /** Whether a message published now would reach other replicas (false while Redis is unreachable). */
    boolean connected();

    @Override
    default void close() { }

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
