package io.sigil.server.plans;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.planning.PlanRun;
import io.sigil.planning.RunningPlans;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.cluster.ClusterPlans;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.Problem;
import io.sigil.server.http.RequestContext;
import io.sigil.sessions.Caller;
import io.sigil.sessions.SessionManager;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Plans that runs execute (sigil-design.md sections 7 and 13): list and read them, and pause, resume or abort one
 * while it executes. An executing plan is found by its id alone, on any replica: the list and the lookups ask the
 * others through {@link ClusterPlans}, and one executing in another replica is steered through it. A plan that has
 * ended is read from its session's events ({@code ?session_id=}, as returned with the run). A caller sees and
 * steers only plans of its own sessions (another user's plan is a 404), an administrator all.
 */
public final class PlanEndpoints {
    private static final String TAG = "plans";
    private static final Route.Access READ = Route.Access.scope(Scope.SESSIONS_READ);
    private static final Route.Access STEER = Route.Access.scope(Scope.RUNS_EXECUTE);
    private static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private PlanEndpoints() { }

    public static List<ApiEndpoint> all(RunningPlans running, SessionManager sessions, int maxPage) {
        return all(running, sessions, null, maxPage);
    }

    /** @param elsewhere steers plans executing on other replicas; null when this server is the only one */
    public static List<ApiEndpoint> all(RunningPlans running, SessionManager sessions,
                                        ClusterPlans elsewhere, int maxPage) {
        return List.of(
                Endpoints.pagedList(Route.get("/plans", READ, TAG, "Plans executing on any replica, or with "
                        + "?session_id= every plan of that session (running or ended)"), maxPage, ctx -> {
                    String session = ctx.queryParam("session_id");
                    Caller caller = RequestContext.caller(ctx);
                    if (session != null) return history(sessions, session, caller, running);
                    if (elsewhere == null) return running.visibleTo(caller).stream().map(e -> live(sessions, e, caller)).toList();
                    return executing(elsewhere, running, sessions, caller);
                }),
                Endpoints.json(Route.get("/plans/{plan_id}", READ, TAG, "One plan with its steps' status "
                        + "(?session_id= reads an ended plan from its session)"), ctx -> find(ctx, running, sessions, elsewhere)),
                Endpoints.json(Route.post("/plans/{plan_id}/pause", STEER, TAG,
                        "Pause an executing plan: running steps finish, no new step starts until resume"),
                        ctx -> steer(ctx, running, sessions, elsewhere, "pause", PlanRun::pause)),
                Endpoints.json(Route.post("/plans/{plan_id}/resume", STEER, TAG, "Resume a paused plan"),
                        ctx -> steer(ctx, running, sessions, elsewhere, "resume", PlanRun::resume)),
                Endpoints.json(Route.post("/plans/{plan_id}/abort", STEER, TAG,
                        "Abort an executing plan: running steps are cancelled, unfinished steps skipped"),
                        ctx -> steer(ctx, running, sessions, elsewhere, "abort", PlanRun::abort)));
    }

    private static Object find(Context ctx, RunningPlans running, SessionManager sessions,
                               ClusterPlans elsewhere) {
        String id = planId(ctx);
        Caller caller = RequestContext.caller(ctx);
        var live = running.find(id, caller);
        if (live.isPresent()) return live(sessions, live.get(), caller);
        String session = ctx.queryParam("session_id");
        if (session == null && elsewhere != null) return steerElsewhere(elsewhere, sessions, id, caller, "status");
        if (session == null) {
            throw ApiProblem.notFound("Plan '" + id + "' is not executing on this server. An ended plan is read from "
                    + "its session: GET /plans/" + id + "?session_id=...");
        }
        return history(sessions, session, caller, running).stream().filter(p -> p.planId().equals(id)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Session " + session + " has no plan '" + id + "'."));
    }

    private static Object steer(Context ctx, RunningPlans running, SessionManager sessions,
                                ClusterPlans elsewhere, String action, Consumer<PlanRun> control) {
        String id = planId(ctx);
        Caller caller = RequestContext.caller(ctx);
        var here = running.find(id, caller);
        if (here.isEmpty() && elsewhere != null) return steerElsewhere(elsewhere, sessions, id, caller, action);
        RunningPlans.Entry e = here.orElseThrow(() -> ApiProblem.notFound("Plan '" + id
                + "' is not executing on this server, so it cannot be told to " + action + ". Ended plans cannot be "
                + "steered; a plan executing in another replica is steered through that replica."));
        if (e.run().finished()) throw ended(id, e.run().status().name().toLowerCase(java.util.Locale.ROOT));
        control.accept(e.run());
        return live(sessions, e, caller);
    }

    /** Through the cluster bus to the replica executing the plan (steered, or only looked at): its record as stored, with the live status. */
    private static Object steerElsewhere(ClusterPlans elsewhere, SessionManager sessions,
                                         String id, Caller caller, String action) {
        java.util.Optional<ClusterPlans.Steered> answer;
        try {
            answer = elsewhere.steer(id, caller, action, ClusterPlans.WAIT);
        } catch (ClusterPlans.Unreachable e) {
            throw unreachable("Plan '" + id + "' is not executing on this replica and the others cannot be reached"
                    + " now (Redis unreachable); retry shortly.");
        }
        boolean look = action.equals("status");
        var steered = answer.orElseThrow(() -> ApiProblem.notFound("Plan '" + id + "' is not executing on any replica"
                + (look ? "." : ", so it cannot be told to " + action + ". Ended plans cannot be steered.")
                + " An ended plan is read from its session: GET /plans/" + id + "?session_id=..."));
        if (steered.ended() && !look) throw ended(id, steered.status());
        return recorded(sessions, steered.sessionId(), id, caller).<Object>map(p -> p.withStatus(steered.status()))
                // Its events are still queued on the executing replica: what is known now.
                .orElseGet(() -> java.util.Map.of("plan_id", id, "session_id", steered.sessionId(), "status", steered.status()));
    }

    /** Every replica's executing plans: this one's as {@link #live}, the others' as stored, with their live status. */
    private static List<PlanHistory.PlanRecord> executing(ClusterPlans elsewhere, RunningPlans running,
                                                          SessionManager sessions, Caller caller) {
        List<ClusterPlans.Executing> plans;
        try {
            plans = elsewhere.executing(caller, ClusterPlans.WAIT).plans();
        } catch (ClusterPlans.Unreachable e) {
            throw unreachable("The plans executing on other replicas cannot be listed now (Redis unreachable);"
                    + " retry shortly.");
        }
        return plans.stream().map(p -> running.find(p.planId(), caller).map(e -> live(sessions, e, caller))
                .orElseGet(() -> stored(sessions, p, caller))).toList();
    }

    private static PlanHistory.PlanRecord stored(SessionManager sessions, ClusterPlans.Executing p, Caller caller) {
        return recorded(sessions, p.sessionId(), p.planId(), caller).map(r -> r.withStatus(p.status()))
                // Its events are still queued on the executing replica: what it reported.
                .orElseGet(() -> new PlanHistory.PlanRecord(p.planId(), p.sessionId(), p.goal(), p.startedAt(),
                        p.status(), List.of(), null, null, List.of()));
    }

    private static ApiProblem unreachable(String detail) {
        return new ApiProblem(Problem.of(503, "cluster-unavailable", "Service unavailable", detail),
                java.util.Map.of("Retry-After", "2"));
    }

    private static ApiProblem ended(String id, String status) {
        return new ApiProblem(Problem.of(409, "plan-ended", "Conflict", "Plan '" + id + "' has already ended (" + status + ")."));
    }

    /** An executing plan: its recorded progress with the run's own status (paused shows only here). */
    private static PlanHistory.PlanRecord live(SessionManager sessions, RunningPlans.Entry e, Caller caller) {
        String status = e.run().status().name().toLowerCase(java.util.Locale.ROOT);
        return recorded(sessions, e.sessionId(), e.plan().planId(), caller).map(p -> p.withStatus(status))
                // Not yet in the store (its events are still queued): the plan as it started.
                .orElseGet(() -> new PlanHistory.PlanRecord(e.plan().planId(), e.sessionId(), e.plan().goal(),
                        e.plan().createdAt(), status, e.plan().steps().stream().map(s -> new PlanHistory.StepRecord(
                        s.stepId(), s.description(), s.type().wireName(), s.dependencies(), "pending", 0, null, null,
                        null, null)).toList(), null, null, List.of()));
    }

    /**
     * The plan as its session's events record it, once they are stored (a new session is stored with its run's
     * first flush, a few milliseconds after the run began).
     */
    private static java.util.Optional<PlanHistory.PlanRecord> recorded(SessionManager sessions, String sessionId,
                                                                      String planId, Caller caller) {
        try {
            return PlanHistory.of(sessionId, sessions.events(sessionId, null, caller)).stream()
                    .filter(p -> p.planId().equals(planId)).findFirst();
        } catch (io.sigil.errors.NotFoundError notStoredYet) {
            return java.util.Optional.empty();
        }
    }

    private static List<PlanHistory.PlanRecord> history(SessionManager sessions, String sessionId, Caller caller,
                                                        RunningPlans running) {
        if (!io.sigil.server.sessions.SessionIds.valid(sessionId)) {
            throw ApiProblem.badRequest("'" + io.sigil.server.sessions.SessionIds.printable(sessionId)
                    + "' is not a valid session id.", List.of(new Problem.InvalidParam("session_id",
                    io.sigil.server.sessions.SessionIds.RULE)));
        }
        return PlanHistory.of(sessionId, sessions.events(sessionId, null, caller)).stream()
                .map(p -> running.find(p.planId(), caller)
                        .map(e -> p.withStatus(e.run().status().name().toLowerCase(java.util.Locale.ROOT))).orElse(p))
                .toList();
    }

    private static String planId(Context ctx) {
        String id = ctx.pathParam("plan_id");
        if (!PLAN_ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("'" + (id.length() > 40 ? id.substring(0, 40) + "..." : id)
                    + "' is not a valid plan id.", List.of(new Problem.InvalidParam("plan_id",
                    "1-128 letters, digits, '_', '.', ':' or '-'")));
        }
        return id;
    }
}
