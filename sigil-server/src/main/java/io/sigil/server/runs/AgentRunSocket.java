package io.sigil.server.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.sigil.auth.Scope;
import io.sigil.errors.NotFoundError;
import io.sigil.server.Route;
import io.sigil.server.SocketEndpoint;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.RequestContext;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code /ws/agents/{name}/run}: the client sends {@code {message, session_id?, context?, model?}}; the server
 * answers with typed messages {@code {type, data, timestamp, sequence}}: {@code connection_ready} once, then per run
 * {@code ack}, {@code status}, {@code progress}, {@code token}, {@code tool_call}, {@code tool_result},
 * {@code warning}, {@code error}, {@code approval_required} (a tool call waits for a human decision) and finally
 * {@code complete}. One run at a time per connection; the connection stays open for the next message. A client may
 * also decide a held call: {@code {type: "approval", run_id, call_id, decision: approve|deny, arguments?, reason?}};
 * the resumed run's messages follow as for a run (docs/approvals.md).
 *
 * <p>Close codes: 4004 unknown agent, 1008 the credential expired or its API key was revoked (re-checked every few
 * seconds by {@link io.sigil.server.http.CredentialWatch}), 1013 the client reads too slowly (its queue
 * filled after a backpressure warning), 1012 a connection opened while the server shuts down, 1001 server shutting
 * down (after the run in flight ended and its messages were sent; see {@link #refuseNew()} and {@link #closeAll}).
 * A closed connection cancels its run (which is still recorded, status cancelled).
 */
public final class AgentRunSocket implements SocketEndpoint, AutoCloseable {
    public static final int UNKNOWN_AGENT = 4004;
    public static final int POLICY_VIOLATION = 1008;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int SERVICE_RESTART = 1012;
    public static final int GOING_AWAY = 1001;

    /** Connection knobs: heartbeat ping interval, messages that may wait for a slow client, longest blocked send. */
    public record Settings(Duration heartbeat, int queueCapacity, Duration sendTimeout) {
        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(15), 1024, Duration.ofSeconds(30));
    }

    private final RunLauncher runs;
    private final ScheduledExecutorService timers;
    private final SocketConnection.Wiring wiring;
    private final Map<String, SocketConnection> connections = new ConcurrentHashMap<>();
    private volatile boolean refusing;

    public AgentRunSocket(RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock, Settings settings) {
        this(runs, bodies, mapper, clock, settings, null);
    }

    /** @param credentials re-checks each connection's credential (revoked API keys); null: expiry only */
    public AgentRunSocket(RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock, Settings settings,
                          io.sigil.server.http.CredentialWatch credentials) {
        this(runs, bodies, mapper, clock, settings, credentials, null);
    }

    /** @param approvals takes {@code approval} messages; null: they are answered with an error */
    public AgentRunSocket(RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock, Settings settings,
                          io.sigil.server.http.CredentialWatch credentials, io.sigil.server.approvals.ApprovalDesk approvals) {
        this.runs = runs;
        this.timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("ws-timers").factory());
        this.wiring = new SocketConnection.Wiring(runs, bodies, mapper, clock, settings, timers, credentials, approvals);
    }

    @Override
    public Route route() {
        return Route.get("/ws/agents/{name}/run", Route.Access.scope(Scope.RUNS_EXECUTE), "runs",
                "WebSocket: run an agent and stream typed messages (token also accepted as ?token=)");
    }

    /** A client message deciding a held tool call. */
    public record ApprovalMessage(String type, String runId, String callId, String decision,
                                  com.fasterxml.jackson.databind.JsonNode arguments, String reason) {
        public ApprovalMessage {
            FieldError.requireText("run_id", runId);
            FieldError.requireText("call_id", callId);
            FieldError.requireText("decision", decision);
        }
    }

    /** A client message: what to run. */
    public record RunMessage(String message, String sessionId, Map<String, Object> context, String model) {
        public RunMessage {
            FieldError.requireText("message", message);
            if (message.length() > RunBody.MAX_MESSAGE_CHARS) {
                throw new FieldError("message", "message is longer than " + RunBody.MAX_MESSAGE_CHARS + " characters");
            }
            RunBody.checkSessionId(sessionId);
        }
    }

    @Override
    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            if (refusing) {
                ctx.closeSession(SERVICE_RESTART, "Server shutting down; reconnect shortly");
                return;
            }
            String agent = ctx.pathParam("name");
            try {
                runs.requireAgent(agent);
            } catch (NotFoundError e) {
                ctx.closeSession(UNKNOWN_AGENT, truncate("Unknown agent '" + agent + "'"));
                return;
            }
            SocketConnection c = new SocketConnection(wiring, ctx, agent, RequestContext.principal(ctx));
            connections.put(ctx.sessionId(), c);
            c.open();
        });
        ws.onMessage(ctx -> {
            SocketConnection c = connections.get(ctx.sessionId());
            if (c != null) c.received(ctx.message());
        });
        ws.onClose(ctx -> {
            SocketConnection c = connections.remove(ctx.sessionId());
            if (c != null) c.closed();
        });
        ws.onError(ctx -> {
            SocketConnection c = connections.remove(ctx.sessionId());
            if (c != null) c.closed();
        });
    }

    public int connections() { return connections.size(); }

    /** What {@code /debug/state} shows of one open connection. */
    public record ConnectionInfo(String id, String agent, boolean running, int queued) { }

    public java.util.List<ConnectionInfo> connectionInfo() {
        return connections.entrySet().stream().map(e -> new ConnectionInfo(e.getKey(), e.getValue().agent,
                e.getValue().running(), e.getValue().outbox.pending())).toList();
    }

    /** Shutdown, first step: connections opened from now on are closed with 1012 at once. */
    public void refuseNew() { refusing = true; }

    /**
     * Shutdown, after the runs ended: each connection gets the messages still queued (up to {@code flush}), then is
     * closed with 1001.
     */
    public void closeAll(Duration flush) {
        refusing = true;
        long deadline = System.nanoTime() + flush.toNanos();
        for (SocketConnection c : java.util.List.copyOf(connections.values())) c.outbox.finish();
        for (SocketConnection c : java.util.List.copyOf(connections.values())) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                Thread sender = c.sender;
                if (sender != null) sender.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.close(GOING_AWAY, "Server shutting down");
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }

    /** Close reasons are limited to 123 bytes by the protocol. */
    static String truncate(String reason) {
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }
}
