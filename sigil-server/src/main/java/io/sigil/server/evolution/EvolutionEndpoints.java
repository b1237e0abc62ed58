package io.sigil.server.evolution;

import io.javalin.http.Context;
import io.sigil.agents.AgentDefinitions;
import io.sigil.auth.Scope;
import io.sigil.errors.EvolutionError;
import io.sigil.evolution.EvolutionListener;
import io.sigil.evolution.EvolutionService;
import io.sigil.evolution.Gates;
import io.sigil.evolution.OptimizationJob;
import io.sigil.evolution.OptimizationJobs;
import io.sigil.evolution.OptimizeOptions;
import io.sigil.evolution.PromptVersion;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;
import io.sigil.server.http.RequestContext;
import io.sigil.sessions.Caller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Evolution over REST: evaluate an agent on its test cases, optimise its prompt, list its prompt versions, roll back,
 * approve or reject a pending version. Optimisation is a job ({@link OptimizationJobs}): the POST answers 202 at once
 * and {@code GET .../evolution/jobs/{id}} tells its progress and result from the store, on any replica (the detail
 * is in the events of its session, {@code GET /sessions/{id}/events}). While {@code SIGIL_USE_EVOLUTION} is
 * off every endpoint answers 409 with how to turn it on.
 */
public final class EvolutionEndpoints {
    private static final String TAG = "evolution";
    private static final Route.Access READ = Route.Access.scope(Scope.AGENTS_READ);
    private static final Route.Access WRITE = Route.Access.scope(Scope.AGENTS_WRITE);

    private EvolutionEndpoints() { }

    public static List<ApiEndpoint> all(Supplier<EvolutionService> service, Supplier<OptimizationJobs> jobs, JsonBodies bodies) {
        return List.of(
                Endpoints.json(Route.post("/agents/{name}/evolution/evaluate", WRITE, TAG,
                        "Run the agent's test cases with its current prompt: score, pass rate, confidence, cost"),
                        ctx -> guarded(service, s -> {
                            var run = s.evaluate(agent(ctx), options(ctx, bodies), RequestContext.caller(ctx).subject(),
                                    EvolutionListener.NONE);
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("evaluation_id", run.id());
                            out.put("agent", run.agent());
                            out.putAll(run.result().summary());
                            out.put("case_results", run.result().caseDetails());
                            return out;
                        })),
                Endpoints.json(Route.post("/agents/{name}/evolution/optimize", WRITE, TAG,
                        "Start optimising the agent's prompt behind the safety gates (or resume one with resume_id):"
                                + " 202 with the job, followed at its Location"),
                        ctx -> guarded(service, s -> {
                            OptimizeBody body = body(ctx, bodies, OptimizeBody.class);
                            Caller caller = RequestContext.caller(ctx);
                            OptimizationJob job = body != null && body.resumeId() != null
                                    ? jobs.get().resume(body.resumeId(), caller)
                                    : jobs.get().submit(agent(ctx), body == null ? OptimizeOptions.builder().build()
                                    : body.options(), caller.subject());
                            if (!job.agent().equals(agent(ctx))) {
                                throw ApiProblem.badRequest("Optimisation " + job.id() + " is of agent '" + job.agent()
                                        + "', not '" + agent(ctx) + "'.", List.of(new Problem.InvalidParam("resume_id", "another agent's optimisation")));
                            }
                            ctx.status(202).header("Location", jobPath(job));
                            return job.toMap();
                        })),
                Endpoints.json(Route.get("/agents/{name}/evolution/jobs/{id}", READ, TAG,
                        "An optimisation job: running (with the generations done), completed (with the result), failed"
                                + " or interrupted (with the reason); another user's is a 404"),
                        ctx -> guarded(service, s -> jobs.get().find(agent(ctx), ctx.pathParam("id"),
                                RequestContext.caller(ctx)).toMap())),
                Endpoints.json(Route.get("/agents/{name}/evolution/versions", READ, TAG,
                        "The agent's prompt versions, oldest first, with the active one"),
                        ctx -> guarded(service, s -> Map.of("agent", agent(ctx), "versions",
                                s.versions(agent(ctx)).stream().map(PromptVersion::toMap).toList()))),
                Endpoints.withBody(Route.post("/agents/{name}/evolution/rollback", WRITE, TAG,
                        "Make a stored version the agent's prompt again"), bodies, VersionBody.class,
                        (ctx, b) -> guarded(service, s -> s.rollback(agent(ctx), b.versionId()).toMap())),
                Endpoints.withBody(Route.post("/agents/{name}/evolution/approve", WRITE, TAG,
                        "Approve (approved: true, the default) or reject a version pending approval"), bodies,
                        VersionBody.class, (ctx, b) -> guarded(service, s -> s.approve(agent(ctx), b.versionId(),
                                b.approved() == null || b.approved()).toMap())));
    }

    /** Body of rollback and approve. */
    public record VersionBody(String versionId, Boolean approved) {
        public VersionBody {
            if (versionId == null || versionId.isBlank()) {
                throw new FieldError("version_id", "version_id is required: a version such as v2 (GET .../evolution/versions lists them)");
            }
        }
    }

    /** Body of optimize and evaluate: every field optional (see docs/evolution.md). */
    public record OptimizeBody(Integer generations, Integer beamWidth, Integer reflective, Integer mutations,
                               Integer repeats, Integer concurrency, Long tokenBudget, Long tokensPerRun, Double heldOut,
                               Long seed, Boolean requireApproval, String model, Double minImprovement, Double maxDrift,
                               Double minConfidence, Double minPassRate, String resumeId) {
        OptimizeOptions options() {
            OptimizeOptions.Builder b = OptimizeOptions.builder();
            if (generations != null) b.generations(generations);
            if (beamWidth != null) b.beamWidth(beamWidth);
            if (reflective != null) b.reflective(reflective);
            if (mutations != null) b.mutations(mutations);
            if (repeats != null) b.repeats(repeats);
            if (concurrency != null) b.concurrency(concurrency);
            if (tokenBudget != null) b.tokenBudget(tokenBudget);
            if (tokensPerRun != null) b.tokensPerRun(tokensPerRun);
            if (heldOut != null) b.heldOut(heldOut);
            if (seed != null) b.seed(seed);
            if (requireApproval != null) b.requireApproval(requireApproval);
            if (model != null) b.model(model);
            Gates d = Gates.DEFAULT;
            if (minImprovement != null || maxDrift != null || minConfidence != null || minPassRate != null) {
                try {
                    b.gates(new Gates(or(minImprovement, d.minImprovement()), or(maxDrift, d.maxDrift()),
                            or(minConfidence, d.minConfidence()), or(minPassRate, d.minPassRate())));
                } catch (IllegalArgumentException e) {
                    throw ApiProblem.badRequest("The gates are invalid: " + e.getMessage() + ".", List.of());
                }
            }
            return b.build();
        }

        private static double or(Double v, double d) { return v == null ? d : v; }
    }

    private static OptimizeOptions options(Context ctx, JsonBodies bodies) throws Exception {
        OptimizeBody b = body(ctx, bodies, OptimizeBody.class);
        return b == null ? OptimizeOptions.builder().build() : b.options();
    }

    /** The body, or null when the request has none (every option has a default). */
    private static <T> T body(Context ctx, JsonBodies bodies, Class<T> type) throws Exception {
        // Not ctx.body(): JsonBodies reads the stream itself (bounded, strict), and it can be read once.
        if (ctx.contentLength() == 0 || ctx.contentLength() < 0 && ctx.header("Transfer-Encoding") == null) return null;
        return bodies.read(ctx, type);
    }

    private static String jobPath(OptimizationJob job) {
        return "/agents/" + job.agent() + "/evolution/jobs/" + job.id();
    }

    private static String agent(Context ctx) {
        String name = ctx.pathParam("name");
        if (!AgentDefinitions.NAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("'" + name + "' is not a valid agent name.", List.of(new Problem.InvalidParam(
                    "name", "a lowercase letter, then up to 63 lowercase letters, digits or '_'")));
        }
        return name;
    }

    @FunctionalInterface
    private interface Call {
        Object apply(EvolutionService s) throws Exception;
    }

    /** Evolution being off, or an optimisation that cannot resume, conflicts with the server's state: 409. */
    private static Object guarded(Supplier<EvolutionService> service, Call call) throws Exception {
        try {
            EvolutionService s = service.get();
            s.requireEnabled();
            return call.apply(s);
        } catch (EvolutionError e) {
            throw new ApiProblem(Problem.of(409, "evolution-error", "Conflict", e.getMessage()
                    + (e.hint() == null ? "" : " (" + e.hint() + ")")).withCode(e.code().name()));
        }
    }
}
