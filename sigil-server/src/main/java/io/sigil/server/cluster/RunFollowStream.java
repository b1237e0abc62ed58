package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.SessionLeases;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.stream.MessageOutbox;
import io.sigil.server.stream.StreamMessage;
import io.sigil.sessions.SessionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /sessions/{id}/stream}: the messages of the session's run in progress, whichever replica executes it,
 * as Server-Sent Events in the format of {@code POST /agents/{name}/run} with {@code stream: true}, from the moment
 * of the request (earlier ones are in the session's events), ending after {@code complete}. Should the executing
 * replica die, its lease expires and the stream ends with an {@code error} {@code RUN_LOST}.
 */
final class RunFollowStream implements ApiEndpoint {
    private static final Logger log = LoggerFactory.getLogger(RunFollowStream.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final int QUEUE = 4096;

    private final SessionManager sessions;
    private final SessionLeases leases;
    private final ClusterBus bus;
    private final ObjectMapper mapper;
    private final Clock clock;

    RunFollowStream(SessionManager sessions, SessionLeases leases, ClusterBus bus, ObjectMapper mapper, Clock clock) {
        this.sessions = sessions;
        this.leases = leases;
        this.bus = bus;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public Route route() {
        return Route.get("/sessions/{session_id}/stream", Route.Access.scope(Scope.RUNS_EXECUTE), "sessions",
                "Follow the run in progress in a session (Server-Sent Events), on whichever replica it executes");
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String id = SessionRunEndpoints.ownedSession(ctx, sessions);
        MessageOutbox outbox = new MessageOutbox(QUEUE, clock, () -> { });
        // Subscribed before the lease is checked: a run that is in progress then cannot end unseen.
        try (ClusterBus.Subscription ignored = bus.subscribe(ClusterRuns.runChannel(id), json -> {
            try {
                RelayedMessage m = RelayedMessage.read(mapper, json);
                outbox.publish(m.type(), m.data());
                if (m.type().equals("complete")) outbox.finish();
            } catch (IOException e) {
                log.warn("Ignoring a malformed run message of session {}: {}", id, e.toString());
            }
        })) {
            if (!leases.held(id)) throw SessionRunEndpoints.noActiveRun(id);
            send(ctx, id, outbox);
        }
    }

    private void send(Context ctx, String id, MessageOutbox outbox) throws InterruptedException {
        ctx.status(200);
        ctx.contentType("text/event-stream; charset=utf-8");
        ctx.header("X-Accel-Buffering", "no");
        try {
            OutputStream out = ctx.res().getOutputStream();
            out.flush();
            outbox.drainTo(m -> write(out, m), HEARTBEAT, () -> idle(out, outbox, id));
        } catch (IOException e) {
            // the follower went away; the run goes on
        }
    }

    /** A heartbeat; and when the session's lease is gone without a complete message, the run was lost. */
    private void idle(OutputStream out, MessageOutbox outbox, String id) {
        try {
            out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            outbox.abort();
            return;
        }
        if (!leases.held(id)) {
            outbox.publish("error", Map.of("code", "RUN_LOST", "message", "The replica executing the run stopped"
                    + " answering; the session records how the run ended once it is recovered."));
            outbox.finish();
        }
    }

    private void write(OutputStream out, StreamMessage m) throws IOException {
        String frame = "id: " + m.sequence() + "\nevent: " + m.type() + "\ndata: " + mapper.writeValueAsString(m) + "\n\n";
        out.write(frame.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
