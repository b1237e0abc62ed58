package io.sigil.server.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsContext;
import io.sigil.approval.ApprovalDecision;
import io.sigil.auth.Principal;
import io.sigil.errors.InvalidInputError;
import io.sigil.errors.SigilError;
import io.sigil.server.approvals.ApprovalDesk;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.CredentialWatch;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One client connection of {@link AgentRunSocket}: its outbox and the sender thread that drains it, its credential's
 * expiry timer and revocation watch, and its one run at a time (a run message, or an approval decision that resumes
 * a run).
 */
final class SocketConnection {
    private static final Logger log = LoggerFactory.getLogger(SocketConnection.class);

    /** What every connection of one endpoint shares. */
    record Wiring(RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock, AgentRunSocket.Settings settings,
                  ScheduledExecutorService timers, CredentialWatch credentials, ApprovalDesk approvals) { }

    private final Wiring w;
    private final WsContext ctx;
    final String agent;
    private final Principal principal;
    final MessageOutbox outbox;
    private volatile ScheduledFuture<?> expiry;
    private volatile CredentialWatch.Registration watch;
    private volatile RunLauncher.ActiveRun run;
    volatile Thread sender;
    private volatile boolean cancelRequested;
    /**
     * The connection's run slot, held by a token per run: taken by a run or a decision, freed before the run's
     * {@code complete} is queued. The token keeps a finished run's late {@code ended()} from freeing the next run's slot.
     */
    private final AtomicReference<Object> slot = new AtomicReference<>();

    SocketConnection(Wiring wiring, WsContext ctx, String agent, Principal principal) {
        this.w = wiring;
        this.ctx = ctx;
        this.agent = agent;
        this.principal = principal;
        this.outbox = new MessageOutbox(wiring.settings().queueCapacity(), wiring.clock(), this::cancelRun);
    }

    void open() {
        var settings = w.settings();
        ctx.enableAutomaticPings(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        Instant expires = principal == null ? null : principal.expiresAt();
        if (expires != null) {
            long delay = Math.max(0, Duration.between(w.clock().instant(), expires).toMillis());
            expiry = w.timers().schedule(() -> close(AgentRunSocket.POLICY_VIOLATION, "Credential expired"), delay,
                    TimeUnit.MILLISECONDS);
        }
        if (w.credentials() != null) {
            watch = w.credentials().watch(principal, reason -> close(AgentRunSocket.POLICY_VIOLATION, reason));
        }
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
            if (outbox.overflowed()) close(AgentRunSocket.TRY_AGAIN_LATER, "Client too slow: send queue full");
        } catch (IOException e) {
            close(AgentRunSocket.TRY_AGAIN_LATER, "Client too slow or gone");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one frame and waits until Jetty has written it, so a client that stops reading fills the outbox. */
    private void write(StreamMessage m) throws IOException {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        ctx.session.sendText(w.mapper().writeValueAsString(m), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        try {
            sent.get(w.settings().sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("send timed out after " + w.settings().sendTimeout());
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
        AgentRunSocket.RunMessage m;
        try {
            m = w.bodies().parse(text.getBytes(StandardCharsets.UTF_8), AgentRunSocket.RunMessage.class);
        } catch (ApiProblem p) {
            outbox.publish("error", SocketErrors.invalid(p.problem().detail(), p.problem().invalidParams()));
            return;
        }
        start(Map.of("agent", agent, "message_chars", m.message().length()), "Starting a run", "The run could not be started.",
                token -> w.runs().launch(new RunInput(agent, m.message(), m.sessionId(), m.context(), m.model(),
                        RequestContext.caller(principal)), sink(token)));
    }

    private boolean isApproval(String text) {
        try {
            var node = w.mapper().readTree(text);
            return node != null && node.isObject() && "approval".equals(node.path("type").asText(null));
        } catch (IOException e) {
            return false; // the run parser reports it
        }
    }

    /** An {@code approval} message: record the decision, then stream the resumed run like a run. */
    private void decide(String text) {
        AgentRunSocket.ApprovalMessage m;
        ApprovalDecision decision;
        try {
            m = w.bodies().parse(text.getBytes(StandardCharsets.UTF_8), AgentRunSocket.ApprovalMessage.class);
            decision = ApprovalDecision.of(m.decision(), m.arguments(), m.reason());
        } catch (ApiProblem p) {
            outbox.publish("error", SocketErrors.invalid(p.problem().detail(), p.problem().invalidParams()));
            return;
        } catch (InvalidInputError e) {
            outbox.publish("error", SocketErrors.invalid(e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"), null));
            return;
        }
        if (w.approvals() == null) {
            outbox.publish("error", Map.of("code", "NOT_AVAILABLE", "message", "This server takes no approvals."));
            return;
        }
        start(Map.of("run_id", m.runId(), "call_id", m.callId(), "decision", m.decision()), "Resuming a run",
                "The decision could not be taken.", token -> w.approvals().decide(RequestContext.caller(principal), m.runId(),
                        m.callId(), decision, sink(token)).run());
    }

    /**
     * Takes the connection's run slot, acknowledges, and starts the run; a refusal frees the slot and becomes an
     * {@code error} message shaped as the HTTP API would answer it ({@link SocketErrors}).
     */
    private void start(Map<String, Object> ack, String what, String internalError,
                       Function<Object, RunLauncher.ActiveRun> launch) {
        Object token = new Object();
        if (!slot.compareAndSet(null, token)) {
            outbox.publish("error", SocketErrors.runInProgress());
            return;
        }
        outbox.publish("ack", ack);
        try {
            RunLauncher.ActiveRun started = launch.apply(token);
            run = started;
            if (cancelRequested) started.cancel(); // the client fell behind before launch returned
        } catch (SigilError e) {
            slot.compareAndSet(token, null);
            outbox.publish("error", SocketErrors.of(e));
        } catch (ApiProblem p) {
            slot.compareAndSet(token, null);
            outbox.publish("error", SocketErrors.of(p));
        } catch (RuntimeException e) {
            slot.compareAndSet(token, null);
            log.error("{} on WebSocket {} failed", what, ctx.sessionId(), e);
            outbox.publish("error", Map.of("code", "INTERNAL_ERROR", "message", internalError));
        }
    }

    /**
     * The run's messages go to the outbox. The slot is freed before {@code complete} is queued: a client may send its
     * next message the moment it reads {@code complete}, and must not be told a run is still in progress.
     */
    private RunSink sink(Object token) {
        return new RunSink() {
            @Override
            public void publish(String type, Object data) {
                if (type.equals(RunSink.COMPLETE)) slot.compareAndSet(token, null);
                outbox.publish(type, data);
            }

            @Override
            public void ended() { slot.compareAndSet(token, null); }
        };
    }

    /** True while a run of this connection has not yet queued its {@code complete}. */
    boolean running() { return slot.get() != null; }

    void close(int code, String reason) {
        try {
            if (ctx.session.isOpen()) ctx.closeSession(code, AgentRunSocket.truncate(reason));
        } catch (RuntimeException e) {
            log.debug("Closing WebSocket {} failed: {}", ctx.sessionId(), e.toString());
        }
        closed();
    }

    void closed() {
        outbox.abort();
        ScheduledFuture<?> e = expiry;
        if (e != null) e.cancel(false);
        CredentialWatch.Registration r = watch;
        if (r != null) r.cancel();
        cancelRun();
    }

    private void cancelRun() {
        cancelRequested = true;
        RunLauncher.ActiveRun r = run;
        if (r != null && running()) r.cancel();
    }
}
