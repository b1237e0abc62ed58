package io.sigil.server.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.sigil.auth.Principal;
import io.sigil.auth.Scope;
import io.sigil.errors.NotFoundError;
import io.sigil.errors.SigilError;
import io.sigil.server.Route;
import io.sigil.server.SocketEndpoint;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.RequestContext;
import io.sigil.server.stream.MessageOutbox;
import io.sigil.server.stream.StreamMessage;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private static final Logger log = LoggerFactory.getLogger(AgentRunSocket.class);
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
    private final JsonBodies bodies;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final Settings settings;
    private final ScheduledExecutorService timers;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final io.sigil.server.http.CredentialWatch credentials;
    private final io.sigil.server.approvals.ApprovalDesk approvals;
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
        this.approvals = approvals;
        this.credentials = credentials;
        this.runs = runs;
        this.bodies = bodies;
        this.mapper = mapper;
        this.clock = clock;
        this.settings = settings;
        this.timers = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("ws-timers").factory());
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
            Connection c = new Connection(ctx, agent, RequestContext.principal(ctx));
            connections.put(ctx.sessionId(), c);
            c.open();
        });
        ws.onMessage(ctx -> {
            Connection c = connections.get(ctx.sessionId());
            if (c != null) c.received(ctx.message());
        });
        ws.onClose(ctx -> {
            Connection c = connections.remove(ctx.sessionId());
            if (c != null) c.closed();
        });
        ws.onError(ctx -> {
            Connection c = connections.remove(ctx.sessionId());
            if (c != null) c.closed();
        });
    }

    public int connections() { return connections.size(); }

    /** What {@code /debug/state} shows of one open connection. */
    public record ConnectionInfo(String id, String agent, boolean running, int queued) { }

    public java.util.List<ConnectionInfo> connectionInfo() {
        return connections.entrySet().stream().map(e -> new ConnectionInfo(e.getKey(), e.getValue().agent,
                e.getValue().running.get(), e.getValue().outbox.pending())).toList();
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
        for (Connection c : java.util.List.copyOf(connections.values())) c.outbox.finish();
        for (Connection c : java.util.List.copyOf(connections.values())) {
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

    /** One client connection: its outbox and sender, its credential's expiry timer, and its current run. */
    private final class Connection {
        private final WsContext ctx;
        private final String agent;
        private final Principal principal;
        private final MessageOutbox outbox;
        private volatile ScheduledFuture<?> expiry;
        private volatile io.sigil.server.http.CredentialWatch.Registration watch;
        private volatile RunLauncher.ActiveRun run;
        private volatile Thread sender;
        private volatile boolean cancelRequested;
        private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

        Connection(WsContext ctx, String agent, Principal principal) {
            this.ctx = ctx;
            this.agent = agent;
            this.principal = principal;
            this.outbox = new MessageOutbox(settings.queueCapacity(), clock, this::cancelRun);
        }

        void open() {
            ctx.enableAutomaticPings(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
            Instant expires = principal == null ? null : principal.expiresAt();
            if (expires != null) {
                long delay = Math.max(0, Duration.between(clock.instant(), expires).toMillis());
                expiry = timers.schedule(() -> close(POLICY_VIOLATION, "Credential expired"), delay, TimeUnit.MILLISECONDS);
            }
            if (credentials != null) watch = credentials.watch(principal, reason -> close(POLICY_VIOLATION, reason));
            sender = Thread.ofVirtual().name("ws-send-" + ctx.sessionId()).start(this::send);
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("agent", agent);
            ready.put("heartbeat_seconds", settings.heartbeat().toSeconds());
            ready.put("max_queued_messages", settings.queueCapacity());
            if (expires != null) ready.put("credential_expires_at", expires.toString());
            outbox.publish("connection_ready", ready);
        }

        private void send() {
            try {
                outbox.drainTo(this::write);
                if (outbox.overflowed()) close(TRY_AGAIN_LATER, "Client too slow: send queue full");
            } catch (IOException e) {
                close(TRY_AGAIN_LATER, "Client too slow or gone");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends one frame and waits until Jetty has written it, so a client that stops reading fills the outbox. */
        private void write(StreamMessage m) throws IOException {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            ctx.session.sendText(mapper.writeValueAsString(m), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
            try {
                sent.get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException("send timed out after " + settings.sendTimeout());
            } catch (ExecutionException e) {
                throw new IOException("send failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        void received(String text) {
            if (isApproval(text)) {
                decide(text);
                return;
            }
            RunMessage m;
            try {
                m = bodies.parse(text.getBytes(StandardCharsets.UTF_8), RunMessage.class);
            } catch (ApiProblem p) {
                outbox.publish("error", problem(p.problem().detail(), p.problem().invalidParams()));
                return;
            }
            if (!running.compareAndSet(false, true)) {
                outbox.publish("error", Map.of("code", "run_in_progress",
                        "message", "A run is already in progress on this connection; wait for its complete message."));
                return;
            }
            outbox.publish("ack", Map.of("agent", agent, "message_chars", m.message().length()));
            try {
                RunLauncher.ActiveRun started = runs.launch(new RunInput(agent, m.message(), m.sessionId(), m.context(),
                        m.model(), RequestContext.caller(principal)), new RunSink() {
                            @Override
                            public void publish(String type, Object data) { outbox.publish(type, data); }

                            @Override
                            public void ended() { running.set(false); }
                        });
                run = started;
                if (cancelRequested) started.cancel(); // the client fell behind before launch returned
            } catch (SigilError e) {
                running.set(false);
                outbox.publish("error", Map.of("code", e.code().name(), "message", e.getMessage()
                        + (e.hint() == null ? "" : " (" + e.hint() + ")")));
            } catch (ApiProblem p) {
                running.set(false);
                outbox.publish("error", p.problem().status() == 503
                        ? Map.of("code", "SHUTTING_DOWN", "message", p.problem().detail())
                        : problem(p.problem().detail(), p.problem().invalidParams()));
            } catch (RuntimeException e) {
                running.set(false);
                log.error("Starting a run on WebSocket {} failed", ctx.sessionId(), e);
                outbox.publish("error", Map.of("code", "INTERNAL_ERROR", "message", "The run could not be started."));
            }
        }

        private boolean isApproval(String text) {
            try {
                var node = mapper.readTree(text);
                return node != null && node.isObject() && "approval".equals(node.path("type").asText(null));
            } catch (IOException e) {
                return false; // the run parser reports it
            }
        }

        /** An {@code approval} message: record the decision, then stream the resumed run like a run. */
        private void decide(String text) {
            ApprovalMessage m;
            io.sigil.approval.ApprovalDecision decision;
            try {
                m = bodies.parse(text.getBytes(StandardCharsets.UTF_8), ApprovalMessage.class);
                decision = io.sigil.approval.ApprovalDecision.of(m.decision(), m.arguments(), m.reason());
            } catch (ApiProblem p) {
                outbox.publish("error", problem(p.problem().detail(), p.problem().invalidParams()));
                return;
            } catch (io.sigil.errors.InvalidInputError e) {
                outbox.publish("error", problem(e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"), null));
                return;
            }
            if (approvals == null) {
                outbox.publish("error", Map.of("code", "NOT_AVAILABLE", "message", "This server takes no approvals."));
                return;
            }
            if (!running.compareAndSet(false, true)) {
                outbox.publish("error", Map.of("code", "run_in_progress",
                        "message", "A run is already in progress on this connection; wait for its complete message."));
                return;
            }
            outbox.publish("ack", Map.of("run_id", m.runId(), "call_id", m.callId(), "decision", m.decision()));
            try {
                var started = approvals.decide(RequestContext.caller(principal), m.runId(), m.callId(), decision,
                        new RunSink() {
                            @Override
                            public void publish(String type, Object data) { outbox.publish(type, data); }

                            @Override
                            public void ended() { running.set(false); }
                        });
                run = started.run();
                if (cancelRequested) started.run().cancel();
            } catch (SigilError e) {
                running.set(false);
                outbox.publish("error", Map.of("code", e.code().name(), "message", e.getMessage()
                        + (e.hint() == null ? "" : " (" + e.hint() + ")")));
            } catch (ApiProblem p) {
                running.set(false);
                Object code = p.problem().code() != null ? p.problem().code()
                        : p.problem().status() == 503 ? "SHUTTING_DOWN" : "INVALID_INPUT";
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", code);
                error.put("message", p.problem().detail());
                if (p.problem().invalidParams() != null) error.put("invalid_params", p.problem().invalidParams());
                outbox.publish("error", error);
            } catch (RuntimeException e) {
                running.set(false);
                log.error("Resuming a run on WebSocket {} failed", ctx.sessionId(), e);
                outbox.publish("error", Map.of("code", "INTERNAL_ERROR", "message", "The decision could not be taken."));
            }
        }

        private Map<String, Object> problem(String detail, Object invalid) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", "INVALID_INPUT");
            m.put("message", detail);
            m.put("invalid_params", invalid);
            return m;
        }

        void close(int code, String reason) {
            try {
                if (ctx.session.isOpen()) ctx.closeSession(code, truncate(reason));
            } catch (RuntimeException e) {
                log.debug("Closing WebSocket {} failed: {}", ctx.sessionId(), e.toString());
            }
            closed();
        }

        void closed() {
            outbox.abort();
            ScheduledFuture<?> e = expiry;
            if (e != null) e.cancel(false);
            io.sigil.server.http.CredentialWatch.Registration w = watch;
            if (w != null) w.cancel();
            cancelRun();
        }

        private void cancelRun() {
            cancelRequested = true;
            RunLauncher.ActiveRun r = run;
            if (r != null && running.get()) r.cancel();
        }
    }

    /** Close reasons are limited to 123 bytes by the protocol. */
    private static String truncate(String reason) {
        return reason.length() > 120 ? reason.substring(0, 120) : reason;
    }
}
