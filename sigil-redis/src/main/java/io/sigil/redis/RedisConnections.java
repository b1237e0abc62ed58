package io.sigil.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connections to one Redis (one for commands, one for pub/sub) under one key prefix. A replica must start and
 * serve while Redis is down, so connecting is retried in the background every second until it succeeds; after
 * that Lettuce reconnects by itself. Commands fail at once while disconnected (never queued), and after
 * {@code commandTimeout} when Redis hangs, so callers can fall back to their in-process equivalents.
 */
public final class RedisConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);
    public static final String DEFAULT_PREFIX = "sigil:";

    private final RedisClient client;
    private final String prefix;
    private final ScheduledExecutorService connector;
    private final List<Consumer<StatefulRedisPubSubConnection<String, String>>> onPubSub = new CopyOnWriteArrayList<>();
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile String lastFailure;
    private volatile boolean closed;

    private RedisConnections(RedisClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
        this.connector = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("redis-connect").factory());
    }

    /**
     * @param url           {@code redis://[:password@]host[:port][/db]} or {@code rediss://...}
     * @param prefix        prepended to every key and channel (deployments sharing one Redis use different ones)
     * @param commandTimeout how long a command may take before it fails (the caller falls back)
     */
    public static RedisConnections open(String url, String prefix, Duration commandTimeout) {
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(commandTimeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build())
                .build());
        RedisConnections c = new RedisConnections(client, prefix);
        c.tryConnect();
        c.connector.scheduleWithFixedDelay(c::tryConnect, 1, 1, TimeUnit.SECONDS);
        return c;
    }

    /** Connects whatever is not connected yet (the background task; after a first success Lettuce reconnects). */
    private synchronized void tryConnect() {
        if (closed || (commands != null && pubSub != null)) return;
        try {
            if (commands == null) commands = client.connect();
            if (pubSub == null) {
                StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub();
                pubSub = ps;
                onPubSub.forEach(l -> l.accept(ps));
            }
            if (lastFailure != null) log.info("Connected to Redis");
            lastFailure = null;
        } catch (RuntimeException e) {
            if (lastFailure == null) log.warn("Redis unreachable ({}); retrying every second, in-process fallbacks meanwhile", e.getMessage());
            lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /** The synchronous commands; throws {@link RedisUnavailable} while no connection was ever made. */
    public RedisCommands<String, String> sync() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) throw new RedisUnavailable("not connected to Redis" + (lastFailure == null ? "" : ": " + lastFailure));
        return c.sync();
    }

    /** The asynchronous commands (pipelined, for fire-and-forget messages); throws like {@link #sync()}. */
    public io.lettuce.core.api.async.RedisAsyncCommands<String, String> async() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) throw new RedisUnavailable("not connected to Redis" + (lastFailure == null ? "" : ": " + lastFailure));
        return c.async();
    }

    /** Called with the pub/sub connection once it exists (at once when it already does). */
    void whenPubSub(Consumer<StatefulRedisPubSubConnection<String, String>> listener) {
        synchronized (this) {
            onPubSub.add(listener);
            if (pubSub == null) return;
        }
        listener.accept(pubSub);
    }

    /** Whether the command connection is up now. */
    public boolean connected() {
        StatefulRedisConnection<String, String> c = commands;
        return c != null && c.isOpen();
    }

    /** {@code PING} round trip; throws when Redis does not answer. */
    public void ping() {
        String pong = sync().ping();
        if (!"PONG".equals(pong)) throw new RedisUnavailable("unexpected PING answer " + pong);
    }

    public String key(String name) { return prefix + name; }

    @Override
    public void close() {
        closed = true;
        connector.shutdownNow();
        synchronized (this) {
            if (pubSub != null) pubSub.close();
            if (commands != null) commands.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /** Redis cannot be reached now (the caller falls back). */
    public static final class RedisUnavailable extends RuntimeException {
        public RedisUnavailable(String message) { super(message); }
    }
}
