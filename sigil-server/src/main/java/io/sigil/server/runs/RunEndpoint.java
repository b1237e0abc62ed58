package io.sigil.server.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sigil.auth.Principal;
import io.sigil.auth.Scope;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.RequestContext;
import io.sigil.server.stream.MessageOutbox;
import io.sigil.server.stream.StreamMessage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /agents/{name}/run}: with {@code stream: false} the answer is the run's response (the data of its
 * {@code complete} message); with {@code stream: true} it is {@code text/event-stream}, one SSE event per typed
 * message ({@code id} = sequence, {@code event} = type, {@code data} = the whole message as JSON), a comment line as
 * heartbeat while nothing happens, ending after {@code complete}. A client that disconnects cancels its run.
 */
public final class RunEndpoint implements ApiEndpoint {
    private static final Duration SSE_HEARTBEAT = Duration.ofSeconds(15);
    private static final int SSE_QUEUE = 4096;

    private final RunLauncher runs;
    private final JsonBodies bodies;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicInteger streams = new java.util.concurrent.atomic.AtomicInteger();

    private final io.sigil.server.http.CredentialWatch credentials;

    public RunEndpoint(RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock) {
        this(runs, bodies, mapper, clock, null);
    }

    /** @param credentials re-checks a stream's credential while it is open (revoked keys end it); null: never */
    public RunEndpoint(RunLauncher runs, JsonBodies bodies, ObjectMapper mapper, Clock clock,
                       io.sigil.server.http.CredentialWatch credentials) {
        this.credentials = credentials;
        this.runs = runs;
        this.bodies = bodies;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** SSE responses being written now. */
    public int openStreams() { return streams.get(); }

    @Override
    public Route route() {
        return Route.post("/agents/{name}/run", Route.Access.scope(Scope.RUNS_EXECUTE), "runs",
                "Run an agent: the response as JSON, or (stream: true) Server-Sent Events of typed messages");
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String agent = ctx.pathParam("name");
        RunBody body = bodies.read(ctx, RunBody.class);
        Principal p = RequestContext.principal(ctx);
        RunInput input = new RunInput(agent, body.message(), body.sessionId(), body.context(), body.model(),
                RequestContext.caller(p));
        if (body.sessionId() != null) RequestContext.sessionId(ctx, body.sessionId());
        if (body.streaming()) stream(ctx, input, p);
        else respond(ctx, input);
    }

    private void respond(Context ctx, RunInput input) throws InterruptedException {
        AtomicReference<Object> response = new AtomicReference<>();
        // On this request's thread: the response waits for the whole run anyway.
        runs.runHere(input, new RunSink() {
            @Override
            public void publish(String type, Object data) {
                if (type.equals("complete")) response.set(data);
            }

            @Override
            public void ended() { }
        }, run -> { });
        refuseUnstored(response.get());
        ctx.json(response.get());
    }

    /**
     * A run whose events could not be stored is not acknowledged with a 2xx: 507 when the disk is full, 503 when the
     * store is unavailable, both with the run's {@code [STATE_ERROR]} so the client knows to retry.
     */
    private static void refuseUnstored(Object response) {
        if (!(response instanceof java.util.Map<?, ?> r) || !(r.get("metadata") instanceof java.util.Map<?, ?> meta)) return;
        Object storage = meta.get(io.sigil.orchestrator.RunResponse.STORAGE_ERROR);
        if (storage == null) return;
        boolean full = "no_space".equals(storage);
        Object errors = r.get("errors");
        String detail = errors instanceof java.util.List<?> l && !l.isEmpty() ? String.valueOf(l.getLast())
                : "[STATE_ERROR] The run's events could not be stored.";
        throw new io.sigil.server.http.ApiProblem(io.sigil.server.http.Problem.of(full ? 507 : 503,
                full ? "insufficient-storage" : "state-unavailable", full ? "Insufficient storage" : "Service unavailable",
                detail).withCode("STATE_ERROR"), java.util.Map.of("Retry-After", "30"));
    }

    private void stream(Context ctx, RunInput input, Principal principal) throws InterruptedException {
        AtomicReference<RunLauncher.ActiveRun> run = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean overflowed = new java.util.concurrent.atomic.AtomicBoolean();
        MessageOutbox outbox = new MessageOutbox(SSE_QUEUE, clock, () -> {
            overflowed.set(true);
            RunLauncher.ActiveRun r = run.get();
            if (r != null) r.cancel();
        });
        run.set(runs.launch(input, new RunSink() {
            @Override
            public void publish(String type, Object data) { outbox.publish(type, data); }

            @Override
            public void ended() { outbox.finish(); }
        }));
        if (overflowed.get()) run.get().cancel(); // the client fell behind before launch returned
        streams.incrementAndGet();
        // The credential was checked once, at the request; a stream outlives it: a revoked key or an expiry ends it.
        var watch = credentials == null ? null : credentials.watch(principal, reason -> {
            outbox.publish("error", java.util.Map.of("code", "CREDENTIAL_INVALID", "message", reason));
            run.get().cancel(reason); // the run records its end and publishes complete, which ends the stream
        });
        try {
            send(ctx, outbox, run);
        } finally {
            if (watch != null) watch.cancel();
            streams.decrementAndGet();
        }
    }

    private void send(Context ctx, MessageOutbox outbox, AtomicReference<RunLauncher.ActiveRun> run)
            throws InterruptedException {
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("X-Accel-Buffering", "no");
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.flush();
            outbox.drainTo(m -> write(out, m), SSE_HEARTBEAT, () -> heartbeat(out, outbox));
            if (outbox.aborted()) run.get().cancel(); // a heartbeat found the client gone
        } catch (IOException e) {
            // The client went away: stop the run (it is still recorded, as cancelled).
            run.get().cancel();
        }
    }

    private void write(OutputStream out, StreamMessage m) throws IOException {
        String frame = "id: " + m.sequence() + "\nevent: " + m.type() + "\ndata: " + mapper.writeValueAsString(m) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void heartbeat(OutputStream out, MessageOutbox outbox) {
        try {
            out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            outbox.abort();
        }
    }
}
