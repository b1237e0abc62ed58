package io.sigil.server.sessions;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.events.Event;
import io.sigil.events.RecordedEvent;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;
import io.sigil.sessions.Session;
import io.sigil.sessions.SessionManager;
import io.sigil.sessions.SessionSummary;
import io.sigil.sessions.TokenUsage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sessions and their events, read from the server's one event store: list, the session as its events rebuild it,
 * its events (paged, by type), ending and deleting a session. Every call acts as the request's
 * {@link io.sigil.sessions.Caller}: a user sees and changes only the sessions it owns (another user's is a 404),
 * an administrator all of them.
 */
public final class SessionEndpoints {
    private static final String TAG = "sessions";
    private static final Route.Access READ = Route.Access.scope(Scope.SESSIONS_READ);
    /** Ending or deleting one's own session: the scope that starts sessions. */
    private static final Route.Access OWN = Route.Access.scope(Scope.RUNS_EXECUTE);

    private SessionEndpoints() { }

    public static List<ApiEndpoint> all(SessionManager sessions, JsonBodies bodies, int maxPage) {
        return List.of(
                Endpoints.pagedList(Route.get("/sessions", READ, TAG,
                        "Sessions, most recently active first, paged (?archived=true adds archived ones)"), maxPage, ctx -> {
                    String archived = ctx.queryParam("archived");
                    requireBoolean("archived", archived);
                    return sessions.list("true".equals(archived), caller(ctx)).stream().map(SessionView::of).toList();
                }),
                Endpoints.json(Route.get("/sessions/{session_id}", READ, TAG, "A session as its events rebuild it"),
                        ctx -> SessionDetail.of(sessions.load(sessionId(ctx), caller(ctx)))),
                Endpoints.pagedList(Route.get("/sessions/{session_id}/events", READ, TAG,
                        "A session's events in order, paged (?type= filters by event type)"), maxPage,
                        ctx -> sessions.events(sessionId(ctx), eventType(ctx), caller(ctx)).stream().map(EventView::of).toList()),
                Endpoints.json(Route.post("/sessions/{session_id}/end", OWN, TAG,
                        "End a session (no-op when it has ended); body {reason} optional"), ctx -> {
                    String id = sessionId(ctx);
                    EndBody body = bodies.readOptional(ctx, EndBody.class);
                    String reason = body == null ? null : body.reason();
                    return SessionDetail.of(sessions.end(id, reason == null ? "ended via API" : reason, caller(ctx)));
                }),
                Endpoints.noContent(Route.delete("/sessions/{session_id}", OWN, TAG,
                        "Delete a session and all its events"), ctx -> sessions.delete(sessionId(ctx), caller(ctx))));
    }

    private static io.sigil.sessions.Caller caller(Context ctx) {
        return io.sigil.server.http.RequestContext.caller(ctx);
    }

    /** The session id of the path, checked, and recorded for the access log. */
    static String sessionId(Context ctx) {
        String id = ctx.pathParam("session_id");
        if (!SessionIds.valid(id)) {
            throw ApiProblem.badRequest("'" + SessionIds.printable(id) + "' is not a valid session id.",
                    List.of(new Problem.InvalidParam("session_id", SessionIds.RULE)));
        }
        io.sigil.server.http.RequestContext.sessionId(ctx, id);
        return id;
    }

    public record SessionView(String id, String status, String agentId, String owner, long events, TokenUsage tokens,
                              Instant startedAt, Instant lastEventAt, Instant endedAt, String lastRun) {
        static SessionView of(SessionSummary s) {
            return new SessionView(s.id(), s.status().wireName(), s.agentId(), s.owner(), s.events(), s.tokens(), s.startedAt(),
                    s.lastEventAt(), s.endedAt(), s.lastRun().wireName());
        }
    }

    /** The replayed session; {@code status} in its wire form. */
    public record SessionDetail(String id, String status, String agentId, String userId, String owner, Instant startedAt,
                                Instant endedAt, Instant lastEventAt, long version, Object messages, Object toolCalls,
                                Object currentPlan, Object memoryItems, Object contractValidations, Object errors,
                                TokenUsage tokens, Map<String, Long> eventCounts, String lastRun) {
        static SessionDetail of(Session s) {
            return new SessionDetail(s.id(), s.status().wireName(), s.agentId(), s.userId(), s.owner(), s.startedAt(), s.endedAt(),
                    s.lastEventAt(), s.version(), s.messages(), s.toolCalls(), s.currentPlan(), s.memoryItems(),
                    s.contractValidations(), s.errors(), s.tokens(), s.eventCounts(), s.lastRun().wireName());
        }
    }

    public record EventView(String eventId, String eventType, Instant timestamp, String sessionId, String agentId,
                            String correlationId, Map<String, Object> payload, int schemaVersion, long version,
                            long position) {
        static EventView of(RecordedEvent r) {
            Event e = r.event();
            return new EventView(e.eventId().toString(), e.eventType(), e.timestamp(), e.sessionId(), e.agentId(),
                    e.correlationId(), e.payload(), e.schemaVersion(), r.version(), r.position());
        }
    }

    /** Optional body of {@code POST /sessions/{id}/end}. */
    public record EndBody(String reason) {
        public EndBody {
            if (reason != null && reason.length() > 500) throw new FieldError("reason", "reason is longer than 500 characters");
        }
    }

    private static void requireBoolean(String name, String value) {
        if (value != null && !value.equals("true") && !value.equals("false")) {
            throw ApiProblem.badRequest("Invalid query parameter " + name + ".",
                    List.of(new Problem.InvalidParam(name, "must be true or false")));
        }
    }

    private static String eventType(Context ctx) {
        String type = ctx.queryParam("type");
        if (type != null && (type.isBlank() || type.length() > Event.MAX_TYPE_LENGTH)) {
            throw ApiProblem.badRequest("Invalid query parameter type.", List.of(new Problem.InvalidParam("type",
                    "an event type such as message.added (1 to " + Event.MAX_TYPE_LENGTH + " characters)")));
        }
        return type;
    }
}
