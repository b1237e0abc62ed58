package io.sigil.server.net;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps one client from holding the server's connections (and file descriptors): Jetty's idle timeout restarts
 * with every byte, so a client that sends one header line every few seconds was kept forever.
 *
 * <ul>
 *   <li><b>Request-head deadline</b>: once the first bytes of a request head arrive, the rest must follow within
 *   {@link ConnectionLimits#headerTimeout()}; otherwise the connection is closed. (A connection that sends nothing
 *   is Jetty's idle timeout's; bodies are bounded by Jetty's minimum request data rate, set by the server.)</li>
 *   <li><b>Per-client cap</b>: connections from one address beyond {@link ConnectionLimits#maxPerClient()} are
 *   closed as they are accepted.</li>
 *   <li>The total cap is Jetty's {@code NetworkConnectionLimit}, which stops accepting at the limit.</li>
 * </ul>
 *
 * It is the server's outermost handler (it sees when a request head has arrived and when its response ended),
 * and an accept listener of each connector.
 */
public final class ConnectionGuard extends Handler.Wrapper implements SelectorManager.AcceptListener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    private final ConnectionLimits limits;
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Map<SelectableChannel, InetAddress> accepted = new ConcurrentHashMap<>();
    /** Connections handling a request now: their head has arrived, the deadline does not apply. */
    private final Set<Connection> busy = ConcurrentHashMap.newKeySet();
    /** Bytes each connection had read when its last response ended; absent: none yet (a new connection). */
    private final Map<Connection, Long> bytesAtIdle = new ConcurrentHashMap<>();
    /** When the sweeper first saw a connection's next request head begin arriving (epoch ms). */
    private final Map<Connection, Long> headStarted = new ConcurrentHashMap<>();
    private final AtomicLong slowDropped = new AtomicLong();
    private final AtomicLong overCapRefused = new AtomicLong();
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("connection-guard").factory());
    private volatile Server server;

    public ConnectionGuard(ConnectionLimits limits) {
        this.limits = limits;
    }

    /** Installs the guard on {@code server}: outermost handler, accept listener of each connector, sweeper. */
    public void install(Server server) {
        this.server = server;
        server.insertHandler(this);
        // The connectors exist once the server starts (Javalin adds them late).
        server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                for (var c : server.getConnectors()) {
                    if (c instanceof ServerConnector sc) sc.addEventListener(ConnectionGuard.this);
                }
            }
        });
        long period = Math.max(100, limits.headerTimeout().toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connection connection = request.getConnectionMetaData().getConnection();
        busy.add(connection);
        headStarted.remove(connection);
        return super.handle(request, response, Callback.from(callback, () -> ended(connection)));
    }

    private void ended(Connection connection) {
        if (busy.remove(connection) && connection.getEndPoint().isOpen()) {
            bytesAtIdle.put(connection, connection.getBytesIn());
        }
    }

    @Override
    public void onAccepted(SelectableChannel channel) {
        InetAddress address = address(channel);
        if (address == null) return;
        int open = perClient.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        accepted.put(channel, address);
        if (open > limits.maxPerClient()) {
            overCapRefused.incrementAndGet();
            if (overCapRefused.get() % 1000 == 1) {
                log.warn("Client {} holds {} connections, over the cap of {} (SIGIL_API_MAX_CONNECTIONS_PER_CLIENT);"
                        + " new ones are closed", address.getHostAddress(), open - 1, limits.maxPerClient());
            }
            try {
                channel.close(); // onClosed follows and gives the count back
            } catch (IOException e) {
                log.debug("Closing an over-cap connection failed: {}", e.toString());
            }
        }
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        InetAddress address = accepted.remove(channel);
        if (address == null) return;
        perClient.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private static InetAddress address(SelectableChannel channel) {
        try {
            return channel instanceof SocketChannel sc && sc.getRemoteAddress() instanceof InetSocketAddress isa
                    ? isa.getAddress() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Closes HTTP connections whose request head has been arriving for longer than the deadline. The clock starts
     * when the first bytes of a head are seen; a keep-alive connection that sends nothing is left to Jetty's idle
     * timeout (closing it here would race a client about to reuse it).
     */
    private void sweep() {
        Server s = server;
        if (s == null) return;
        long now = System.currentTimeMillis();
        long deadline = limits.headerTimeout().toMillis();
        try {
            for (var c : s.getConnectors()) {
                if (!(c instanceof ServerConnector sc)) continue;
                for (EndPoint ep : sc.getConnectedEndPoints()) {
                    Connection connection = ep.getConnection();
                    if (!(connection instanceof org.eclipse.jetty.server.internal.HttpConnection) || busy.contains(connection)) {
                        continue; // upgraded (WebSocket) or handling a request
                    }
                    if (connection.getBytesIn() <= bytesAtIdle.getOrDefault(connection, 0L)) {
                        headStarted.remove(connection); // idle between requests: nothing is arriving
                        continue;
                    }
                    long since = headStarted.computeIfAbsent(connection, k -> now);
                    if (now - since > deadline) {
                        slowDropped.incrementAndGet();
                        headStarted.remove(connection);
                        ep.close();
                    }
                }
            }
            bytesAtIdle.keySet().removeIf(connection -> !connection.getEndPoint().isOpen());
            headStarted.keySet().removeIf(connection -> !connection.getEndPoint().isOpen());
            busy.removeIf(connection -> !connection.getEndPoint().isOpen());
        } catch (RuntimeException e) {
            log.warn("Sweeping slow connections failed: {}", e.toString());
        }
    }

    /** Connections closed for not sending a request head in time. */
    public long slowDropped() { return slowDropped.get(); }

    /** Connections closed at accept for being over the per-client cap. */
    public long overCapRefused() { return overCapRefused.get(); }

    /** Open connections per client address now (the busiest first in {@code /debug/state} order is not kept). */
    public int clients() { return perClient.size(); }

    @Override
    protected void doStop() throws Exception {
        sweeper.shutdownNow();
        super.doStop();
    }
}
