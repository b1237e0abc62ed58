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
