package io.sigil.server.sessions;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.events.Event;
import io.sigil.events.RecordedEvent;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.PageRequest;
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
 * its events (paged, by type), and, for administrators, ending and deleting a session.
 */
public final class SessionEndpoints {
    private static final String TAG = "sessions";
    private static final Route.Access READ = Route.Access.scope(Scope.SESSIONS_READ);
    private static final Route.Access ADMIN = Route.Access.scope(Scope.ADMIN);

    private SessionEndpoints() { }

    public static List<ApiEndpoint> all(SessionManager sessions, JsonBodies bodies, int maxPage) {
        return List.of(new ListSessions(sessions, maxPage), new GetSession(sessions), new ListEvents(sessions, maxPage),
                new EndSession(sessions, bodies), new DeleteSession(sessions));
    }

    /** The session id of the path, checked, and recorded for the access log. */
    static String sessionId(Context ctx) {
        String id = ctx.pathParam("session_id");
        try {
            Event.checkSessionId(id);
        } catch (RuntimeException e) {
            throw ApiProblem.badRequest("'" + id + "' is not a valid session id.",
                    List.of(new Problem.InvalidParam("session_id", e.getMessage())));
        }
        io.sigil.server.http.RequestContext.sessionId(ctx, id);
        return id;
    }

    public record SessionView(String id, String status, String agentId, long events, TokenUsage tokens,
                              Instant startedAt, Instant lastEventAt, Instant endedAt) {
        static SessionView of(SessionSummary s) {
            return new SessionView(s.id(), s.status().wireName(), s.agentId(), s.events(), s.tokens(), s.startedAt(),
                    s.lastEventAt(), s.endedAt());
        }
    }

    /** The replayed session; {@code status} in its wire form. */
    public record SessionDetail(String id, String status, String agentId, String userId, Instant startedAt,
                                Instant endedAt, Instant lastEventAt, long version, Object messages, Object toolCalls,
                                Object currentPlan, Object memoryItems, Object contractValidations, Object errors,
                                TokenUsage tokens, Map<String, Long> eventCounts) {
        static SessionDetail of(Session s) {
            return new SessionDetail(s.id(), s.status().wireName(), s.agentId(), s.userId(), s.startedAt(), s.endedAt(),
                    s.lastEventAt(), s.version(), s.messages(), s.toolCalls(), s.currentPlan(), s.memoryItems(),
                    s.contractValidations(), s.errors(), s.tokens(), s.eventCounts());
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

    static final class ListSessions implements ApiEndpoint {
        private final SessionManager sessions;
        private final int maxPage;

        ListSessions(SessionManager sessions, int maxPage) {
            this.sessions = sessions;
            this.maxPage = maxPage;
        }

        @Override
        public Route route() {
            return Route.get("/sessions", READ, TAG, "Sessions, most recently active first, paged (?archived=true adds archived ones)");
        }

        @Override
        public void handle(Context ctx) {
            PageRequest page = PageRequest.from(ctx, maxPage);
            String archived = ctx.queryParam("archived");
            if (archived != null && !archived.equals("true") && !archived.equals("false")) {
                throw ApiProblem.badRequest("Invalid query parameter archived.",
                        List.of(new Problem.InvalidParam("archived", "must be true or false")));
            }
            ctx.json(page.slice(sessions.list("true".equals(archived)).stream().map(SessionView::of).toList()));
        }
    }

    static final class GetSession implements ApiEndpoint {
        private final SessionManager sessions;

        GetSession(SessionManager sessions) { this.sessions = sessions; }

        @Override
        public Route route() {
            return Route.get("/sessions/{session_id}", READ, TAG, "A session as its events rebuild it");
        }

        @Override
        public void handle(Context ctx) {
            ctx.json(SessionDetail.of(sessions.load(sessionId(ctx))));
        }
    }

    static final class ListEvents implements ApiEndpoint {
        private final SessionManager sessions;
        private final int maxPage;

        ListEvents(SessionManager sessions, int maxPage) {
            this.sessions = sessions;
            this.maxPage = maxPage;
        }

        @Override
        public Route route() {
            return Route.get("/sessions/{session_id}/events", READ, TAG, "A session's events in order, paged (?type= filters by event type)");
        }

        @Override
        public void handle(Context ctx) {
            String id = sessionId(ctx);
            PageRequest page = PageRequest.from(ctx, maxPage);
            String type = ctx.queryParam("type");
            if (type != null && (type.isBlank() || type.length() > Event.MAX_TYPE_LENGTH)) {
                throw ApiProblem.badRequest("Invalid query parameter type.", List.of(new Problem.InvalidParam("type",
                        "an event type such as message.added (1 to " + Event.MAX_TYPE_LENGTH + " characters)")));
            }
            ctx.json(page.slice(sessions.events(id, type).stream().map(EventView::of).toList()));
        }
    }

    /** Optional body of {@code POST /sessions/{id}/end}. */
    public record EndBody(String reason) {
        public EndBody {
            if (reason != null && reason.length() > 500) throw new FieldError("reason", "reason is longer than 500 characters");
        }
    }

    static final class EndSession implements ApiEndpoint {
        private final SessionManager sessions;
        private final JsonBodies bodies;

        EndSession(SessionManager sessions, JsonBodies bodies) {
            this.sessions = sessions;
            this.bodies = bodies;
        }

        @Override
        public Route route() {
            return Route.post("/sessions/{session_id}/end", ADMIN, TAG, "End a session (no-op when it has ended); body {reason} optional");
        }

        @Override
        public void handle(Context ctx) {
            String id = sessionId(ctx);
            String reason = ctx.bodyAsBytes().length == 0 ? null : bodies.read(ctx, EndBody.class).reason();
            ctx.json(SessionDetail.of(sessions.end(id, reason == null ? "ended via API" : reason)));
        }
    }

    static final class DeleteSession implements ApiEndpoint {
        private final SessionManager sessions;

        DeleteSession(SessionManager sessions) { this.sessions = sessions; }

        @Override
        public Route route() {
            return new Route("DELETE", "/sessions/{session_id}", ADMIN, true, TAG, "Delete a session and all its events", "application/json");
        }

        @Override
        public void handle(Context ctx) {
            sessions.delete(sessionId(ctx));
            ctx.status(204);
        }
    }
}
