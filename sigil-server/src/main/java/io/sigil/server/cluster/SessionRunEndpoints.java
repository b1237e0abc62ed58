package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.SessionLeases;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;
import io.sigil.server.http.RequestContext;
import io.sigil.server.sessions.SessionIds;
import io.sigil.sessions.SessionManager;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run of a session, from any replica: {@code POST /sessions/{id}/cancel} stops it wherever it executes, and
 * {@code GET /sessions/{id}/stream} follows it (see {@link RunFollowStream}). Both need the caller to own the
 * session (others get 404, as for every session endpoint) and answer 409 {@code no-active-run} when the session
 * has none.
 */
public final class SessionRunEndpoints {
    private static final String TAG = "sessions";
    private static final Route.Access OWN = Route.Access.scope(Scope.RUNS_EXECUTE);

    private SessionRunEndpoints() { }

    /** Optional body of the cancel request. */
    public record CancelBody(String reason) {
        public CancelBody {
            if (reason != null && reason.length() > 500) throw new FieldError("reason", "reason is longer than 500 characters");
        }
    }

    public static List<ApiEndpoint> all(SessionManager sessions, SessionLeases leases, ClusterBus bus, JsonBodies bodies,
                                        ObjectMapper mapper, Clock clock) {
        return List.of(new Cancel(sessions, leases, bus, bodies, mapper),
                new RunFollowStream(sessions, leases, bus, mapper, clock));
    }

    /** The session id of the path, checked, and the session loaded as its owner sees it (404 for anyone else). */
    static String ownedSession(Context ctx, SessionManager sessions) {
        String id = ctx.pathParam("session_id");
        if (!SessionIds.valid(id)) {
            throw ApiProblem.badRequest("'" + SessionIds.printable(id) + "' is not a valid session id.",
                    List.of(new Problem.InvalidParam("session_id", SessionIds.RULE)));
        }
        RequestContext.sessionId(ctx, id);
        sessions.load(id, RequestContext.caller(ctx));
        return id;
    }

    static ApiProblem noActiveRun(String id) {
        return new ApiProblem(Problem.of(409, "no-active-run", "Conflict", "Session '" + id
                + "' has no run in progress; its history is at GET /sessions/" + id + "/events."));
    }

    private record Cancel(SessionManager sessions, SessionLeases leases, ClusterBus bus, JsonBodies bodies,
                          ObjectMapper mapper) implements ApiEndpoint {
        @Override
        public Route route() {
            return Route.post("/sessions/{session_id}/cancel", OWN, TAG,
                    "Cancel the run in progress in a session, on whichever replica it executes; body {reason} optional");
        }

        @Override
        public void handle(Context ctx) {
            String id = ownedSession(ctx, sessions);
            CancelBody body = bodies.readOptional(ctx, CancelBody.class);
            String reason = body == null || body.reason() == null ? "cancelled via API" : body.reason();
            if (!leases.held(id)) throw noActiveRun(id);
            try {
                bus.publish(ClusterRuns.CANCEL_CHANNEL, ClusterRuns.cancelMessage(mapper, id, reason));
            } catch (RuntimeException e) {
                throw new ApiProblem(Problem.of(503, "cluster-unavailable", "Service unavailable",
                        "The cancel request could not be sent to the other replicas (Redis unreachable); retry shortly."),
                        Map.of("Retry-After", "2"));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("session_id", id);
            answer.put("status", "cancel_requested");
            answer.put("reason", reason);
            ctx.status(202).json(answer);
        }
    }
}
