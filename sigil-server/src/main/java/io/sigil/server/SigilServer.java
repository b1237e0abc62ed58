package io.sigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.sigil.server.http.JettyErrors;
import io.sigil.server.http.Problems;
import io.sigil.server.http.RequestPipeline;
import io.sigil.server.ops.OpenApiDocument;
import io.sigil.server.ops.OpenApiEndpoint;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The HTTP server: Javalin 7 on Jetty 12 with virtual threads. Routes come only from {@link ApiEndpoint}s (plus
 * {@code /openapi.json}, generated from them), each wrapped by the {@link RequestPipeline}.
 *
 * <p>Stopping is graceful: first the drain steps run while the server still serves (runs in flight finish or are
 * cancelled, streams get their last messages; see {@link #drainOnStop}), then the connectors stop accepting,
 * requests in flight get up to the shutdown timeout to finish (Jetty's {@link GracefulHandler} counts them), then
 * the server stops.
 */
public final class SigilServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SigilServer.class);
    /** Room for an 8 KiB token plus other headers, so an oversized token reaches the verifier and gets a 401. */
    private static final int REQUEST_HEADER_BYTES = 16 * 1024;
    /** Pending connections the kernel queues for accept (capped by net.core.somaxconn). */
    private static final int ACCEPT_QUEUE = 4096;

    private final Javalin app;
    private final List<Route> routes;
    private volatile boolean stopped;
    /** Closed after the server has stopped, newest first: shared stores and services the endpoints use. */
    private final java.util.Deque<AutoCloseable> closeOnStop = new java.util.concurrent.ConcurrentLinkedDeque<>();
    /** Run first on stop, in order, while the server still serves. */
    private final List<Runnable> drainOnStop = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SigilServer(Javalin app, List<Route> routes) {
        this.app = app;
        this.routes = routes;
    }

    static final int RESPONSE_COPY_BYTES = 4096;

    public static SigilServer create(List<ApiEndpoint> endpoints, RequestPipeline pipeline, Problems problems,
                                     ObjectMapper responseMapper, long maxBodyBytes, Duration shutdownTimeout,
                                     String version) {
        return create(endpoints, List.of(), pipeline, problems, responseMapper, maxBodyBytes, shutdownTimeout, version);
    }

    public static SigilServer create(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets, RequestPipeline pipeline,
                                     Problems problems, ObjectMapper responseMapper, long maxBodyBytes,
                                     Duration shutdownTimeout, String version) {
        return create(endpoints, sockets, pipeline, problems, responseMapper, maxBodyBytes, shutdownTimeout, version,
                io.sigil.server.net.ConnectionLimits.DEFAULTS);
    }

    public static SigilServer create(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets, RequestPipeline pipeline,
                                     Problems problems, ObjectMapper responseMapper, long maxBodyBytes,
                                     Duration shutdownTimeout, String version, io.sigil.server.net.ConnectionLimits limits) {
        List<ApiEndpoint> all = new ArrayList<>(endpoints);
        List<Route> routes = new ArrayList<>(all.stream().map(ApiEndpoint::route).toList());
        sockets.forEach(s -> routes.add(s.route()));
        routes.add(OpenApiEndpoint.ROUTE);
        checkUnique(routes);
        all.add(new OpenApiEndpoint(OpenApiDocument.build(routes, version, responseMapper)));

        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxBodyBytes;
            config.http.prefer405over404 = true;
            // Javalin copies each response body to the socket through a buffer of this size, allocated per
            // response (default 32 KB, which was 29% of all the server's allocation in the run benchmark); the
            // socket stream buffers again, so a small copy buffer costs large responses nothing.
            config.http.responseBufferSize = RESPONSE_COPY_BYTES;
            config.jsonMapper(new JavalinJackson(responseMapper, true));
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(shutdownTimeout.toMillis());
                server.insertHandler(new GracefulHandler());
                server.setErrorHandler(new JettyErrors(responseMapper));
                // Connection hygiene: a deadline for request heads, a cap per client address, a total cap.
                new io.sigil.server.net.ConnectionGuard(limits).install(server);
                server.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(limits.maxConnections(), server));
                // The JDK's default listen backlog is 50: a burst of new connections (1,024 clients connecting at
                // once) overflowed it, and the dropped SYNs were retried after 1, 3 and 7 s. Set before the
                // connectors open.
                server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                        for (var c : server.getConnectors()) {
                            if (c instanceof org.eclipse.jetty.server.ServerConnector sc) sc.setAcceptQueueSize(ACCEPT_QUEUE);
                        }
                    }
                });
            });
            config.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
                // Jetty caches whole header lines per connection and looks every incoming line up in a trie,
                // byte by byte; with a ~300-byte bearer token on each request that lookup was 7% of a run's CPU.
                http.setHeaderCacheSize(0);
                http.setMinRequestDataRate(limits.minBodyBytesPerSecond());
            });
            config.routes.before(pipeline::before);
            for (ApiEndpoint e : all) {
                io.javalin.http.Handler guarded = pipeline.guarded(e);
                config.routes.addHttpHandler(io.javalin.http.HandlerType.findOrCreate(e.route().method()),
                        e.route().path(), guarded);
                // Explicit HEAD through the same guard: Javalin would otherwise answer HEAD for any GET route with
                // an unguarded 200. Jetty drops the body of HEAD responses.
                if (e.route().method().equals("GET")) {
                    config.routes.addHttpHandler(io.javalin.http.HandlerType.HEAD, e.route().path(), guarded);
                }
            }
            for (SocketEndpoint socket : sockets) {
                config.routes.addHttpHandler(io.javalin.http.HandlerType.WEBSOCKET_BEFORE_UPGRADE, socket.route().path(),
                        pipeline.upgradeGuard(socket));
                config.routes.addWsHandler(io.javalin.websocket.WsHandlerType.WEBSOCKET, socket.route().path(),
                        socket::configure);
            }
            config.routes.exception(Exception.class, problems::handle);
            config.routes.after(pipeline::after);
            config.requestLogger.http(pipeline::completed);
        });
        return new SigilServer(app, List.copyOf(routes));
    }

    private static void checkUnique(List<Route> routes) {
        Set<String> seen = new HashSet<>();
        for (Route r : routes) {
            if (!seen.add(r.method() + " " + r.path())) {
                throw new IllegalArgumentException("two endpoints registered for " + r.method() + " " + r.path());
            }
        }
    }

    /** Starts listening; port 0 picks a free one (see {@link #port()}). */
    public SigilServer start(String host, int port) {
        app.start(host, port);
        log.info("Sigil API listening on {}:{} ({} routes)", host, app.port(), routes.size());
        return this;
    }

    public int port() { return app.port(); }

    /** Every route served, {@code /openapi.json} included. */
    public List<Route> routes() { return routes; }

    /** Graceful stop: no new connections, in-flight requests finish (up to the shutdown timeout), then stop. */
    public synchronized void stop() {
        if (stopped) return;
        stopped = true;
        log.info("Sigil API stopping: draining runs in flight");
        for (Runnable drain : drainOnStop) {
            try {
                drain.run();
            } catch (RuntimeException e) {
                log.warn("A shutdown drain step failed: {}", e.toString());
            }
        }
        log.info("Sigil API stopping: waiting for requests in flight");
        try {
            app.stop();
            log.info("Sigil API stopped");
        } catch (RuntimeException e) {
            // Jetty still stops every component; what failed is the wait for the slowest requests.
            log.warn("Sigil API stopped; requests still running after the shutdown timeout were cut off ({})",
                    e.getCause() == null ? e.toString() : e.getCause().toString());
        }
        for (AutoCloseable c; (c = closeOnStop.pollFirst()) != null; ) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Closing {} on shutdown failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /**
     * Registers a step run at the start of {@link #stop()}, before the connectors close: refusing new work and
     * letting work in flight end while clients can still receive its results.
     */
    public void drainOnStop(Runnable step) {
        drainOnStop.add(step);
    }

    /** Registers something to close once the server has stopped (after in-flight requests finished). */
    public void closeOnStop(AutoCloseable resource) {
        closeOnStop.addFirst(resource);
    }

    @Override
    public void close() { stop(); }
}
