package io.sigil.server.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.sigil.approval.Approval;
import io.sigil.approval.ApprovalDecision;
import io.sigil.approval.ApprovalStatus;
import io.sigil.auth.Scope;
import io.sigil.errors.InvalidInputError;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;
import io.sigil.server.http.RequestContext;
import io.sigil.server.runs.RunSink;
import io.sigil.server.sessions.SessionIds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * {@code GET /approvals}, {@code GET /runs/{run_id}/approvals}, {@code POST /runs/{run_id}/approvals/{call_id}}:
 * the tool calls that wait for a human decision, scoped to the session owner (another user's are 404), and the
 * decision, after which the run goes on and the answer is its response (docs/approvals.md).
 */
public final class ApprovalEndpoints {
    private static final String TAG = "approvals";
    private static final Route.Access READ = Route.Access.scope(Scope.SESSIONS_READ);
    private static final Route.Access DECIDE = Route.Access.scope(Scope.RUNS_EXECUTE);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    private ApprovalEndpoints() { }

    /** The decision body: {@code {"decision": "approve"|"deny", "arguments": {...}?, "reason": "..."?}}. */
    public record DecisionBody(String decision, JsonNode arguments, String reason) { }

    public static List<ApiEndpoint> all(ApprovalDesk desk, JsonBodies bodies, int maxPage) {
        return List.of(
                Endpoints.pagedList(Route.get("/approvals", READ, TAG, "Tool calls waiting for a decision, newest first,"
                        + " paged (?session_id= filters; ?status=pending (default), approved, denied, expired or all)"),
                        maxPage, ctx -> desk.approvals().list(RequestContext.caller(ctx), session(ctx), status(ctx))
                                .stream().map(Approval::toJson).toList()),
                Endpoints.json(Route.get("/runs/{run_id}/approvals", READ, TAG, "Every approval of one run"), ctx -> {
                    String run = id(ctx, "run_id");
                    List<Approval> items = desk.approvals().forRun(RequestContext.caller(ctx), run);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("run_id", run);
                    m.put("session_id", items.getFirst().sessionId());
                    m.put("items", items.stream().map(Approval::toJson).toList());
                    return m;
                }),
                Endpoints.withBody(Route.post("/runs/{run_id}/approvals/{call_id}", DECIDE, TAG, "Approve (optionally"
                        + " with edited arguments) or deny a held tool call; the run goes on and its response is answered"),
                        bodies, DecisionBody.class, (ctx, body) -> decide(desk, ctx, body)));
    }

    private static Map<String, Object> decide(ApprovalDesk desk, Context ctx, DecisionBody body) throws InterruptedException {
        String run = id(ctx, "run_id");
        String call = id(ctx, "call_id");
        ApprovalDecision decision;
        try {
            decision = ApprovalDecision.of(body.decision(), body.arguments(), body.reason());
        } catch (InvalidInputError e) {
            String field = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : "decision";
            throw ApiProblem.badRequest(e.getMessage() + (e.hint() == null ? "" : " (" + e.hint() + ")"),
                    List.of(new Problem.InvalidParam(field, e.getMessage())));
        }
        AtomicReference<Object> response = new AtomicReference<>();
        Approval decided = desk.decideHere(RequestContext.caller(ctx), run, call, decision, new RunSink() {
            @Override
            public void publish(String type, Object data) {
                if (type.equals("complete")) response.set(data);
            }

            @Override
            public void ended() { }
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("approval", decided.toJson());
        m.put("run", response.get());
        return m;
    }

    private static String session(Context ctx) {
        String id = ctx.queryParam("session_id");
        if (id == null) return null;
        if (!SessionIds.valid(id)) {
            throw ApiProblem.badRequest("'" + SessionIds.printable(id) + "' is not a valid session id.",
                    List.of(new Problem.InvalidParam("session_id", SessionIds.RULE)));
        }
        return id;
    }

    private static ApprovalStatus status(Context ctx) {
        String s = ctx.queryParam("status");
        if (s == null || s.isEmpty()) return ApprovalStatus.PENDING;
        if (s.equals("all")) return null;
        try {
            return ApprovalStatus.parse(s);
        } catch (InvalidInputError e) {
            throw ApiProblem.badRequest(e.getMessage() + " (" + e.hint() + ")",
                    List.of(new Problem.InvalidParam("status", e.hint())));
        }
    }

    private static String id(Context ctx, String name) {
        String id = ctx.pathParam(name);
        if (!ID.matcher(id).matches()) {
            throw ApiProblem.badRequest("'" + SessionIds.printable(id) + "' is not a valid " + name + ".",
                    List.of(new Problem.InvalidParam(name, "1 to 200 letters, digits, '.', '_', ':' or '-'")));
        }
        return id;
    }
}
