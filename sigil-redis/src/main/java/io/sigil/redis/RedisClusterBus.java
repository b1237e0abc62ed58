package io.sigil.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sigil.cluster.ClusterBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link ClusterBus} over Redis pub/sub: one pub/sub connection per replica, one Redis channel per bus channel
 * (subscribed while this replica has a listener on it). Lettuce re-subscribes after a reconnect; messages sent
 * while a replica was disconnected are lost to it, which the bus's contract allows.
 */
public final class RedisClusterBus implements ClusterBus {
    private static final Logger log = LoggerFactory.getLogger(RedisClusterBus.class);

    private final RedisConnections redis;
    private final Map<String, Set<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    private volatile StatefulRedisPubSubConnection<String, String> connection;

    public RedisClusterBus(RedisConnections redis) {
        this.redis = redis;
        redis.whenPubSub(this::attach);
    }

    private void attach(StatefulRedisPubSubConnection<String, String> c) {
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) { deliver(channel, message); }
        });
        connection = c;
        String[] channels = listeners.keySet().toArray(String[]::new);
        if (channels.length > 0) c.async().subscribe(channels);
    }

    private void deliver(String redisChannel, String message) {
        Set<Consumer<String>> set = listeners.get(redisChannel);
        if (set == null) return;
        for (Consumer<String> l : set) {
            try {
                l.accept(message);
            } catch (RuntimeException e) {
                log.warn("A listener of channel {} failed: {}", redisChannel, e.toString());
            }
        }
    }

    @Override
    public void publish(String channel, String message) {
        publishCounted(channel, message);
    }

    /** Redis counts the pub/sub connections subscribed to the channel: one per replica listening on it. */
    @Override
    public long publishCounted(String channel, String message) {
        Long reached = redis.sync().publish(redis.key(channel), message);
        return reached == null ? UNKNOWN_REACH : reached;
    }

    @Override
    public void publishAsync(String channel, String message) {
        try {
            // Pipelined on the one command connection: messages of a run keep their order.
            redis.async().publish(redis.key(channel), message);
        } catch (RuntimeException dropped) {
            // not connected: a follower misses it (at most once)
        }
    }

    @Override
    public Subscription subscribe(String channel, Consumer<String> listener) {
        String key = redis.key(channel);
        Consumer<String> own = listener::accept;
        boolean[] first = {false};
        listeners.compute(key, (k, set) -> {
            if (set == null) {
                set = ConcurrentHashMap.newKeySet();
                first[0] = true;
            }
            set.add(own);
            return set;
        });
        StatefulRedisPubSubConnection<String, String> c = connection;
        if (first[0] && c != null) {
            // Waits for Redis to confirm, so that a message published right after subscribe() returns is received.
            try {
                c.sync().subscribe(key);
            } catch (RuntimeException e) {
                log.debug("Subscribing to {} failed now ({}); done again on reconnect", key, e.toString());
            }
        }
        return () -> {
            boolean[] last = {false};
            listeners.computeIfPresent(key, (k, set) -> {
                set.remove(own);
                last[0] = set.isEmpty();
                return set.isEmpty() ? null : set;
            });
            StatefulRedisPubSubConnection<String, String> now = connection;
            if (last[0] && now != null && now.isOpen()) now.async().unsubscribe(key);
        };
    }

    @Override
    public boolean connected() {
        StatefulRedisPubSubConnection<String, String> c = connection;
        return c != null && c.isOpen() && redis.connected();
    }
}
