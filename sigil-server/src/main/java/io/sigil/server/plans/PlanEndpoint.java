package io.sigil.server.plans;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.llm.ChatModel;
import io.sigil.planning.PlanCache;
import io.sigil.planning.Planner;
import io.sigil.reasoning.StrategyName;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;
import io.sigil.tools.ToolRegistry;

import java.time.Clock;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code POST /plans {goal, model?, context?}}: plans a goal into validated steps over the server's tools without
 * running it. Plans are cached (same goal, tools and context: same plan). Needs {@code runs:execute}: planning is a
 * model call.
 */
public final class PlanEndpoint implements ApiEndpoint {
    public static final int MAX_GOAL_CHARS = 20_000;

    private final Function<String, ChatModel> models;
    private final ToolRegistry tools;
    private final PlanCache cache;
    private final JsonBodies bodies;
    private final Clock clock;
    private final int maxSteps;

    /** @param models resolves a model string (null: the configured model; {@code test}: the offline test model) */
    public PlanEndpoint(Function<String, ChatModel> models, ToolRegistry tools, PlanCache cache, JsonBodies bodies,
                        Clock clock, int maxSteps) {
        this.models = models;
        this.tools = tools;
        this.cache = cache;
        this.bodies = bodies;
        this.clock = clock;
        this.maxSteps = maxSteps;
    }

    public record PlanBody(String goal, String model, String context) {
        public PlanBody {
            FieldError.requireText("goal", goal);
            if (goal.length() > MAX_GOAL_CHARS) throw new FieldError("goal", "goal is longer than " + MAX_GOAL_CHARS + " characters");
            if (model != null && model.isBlank()) throw new FieldError("model", "model must not be blank when given");
            if (context != null && context.length() > MAX_GOAL_CHARS) {
                throw new FieldError("context", "context is longer than " + MAX_GOAL_CHARS + " characters");
            }
        }
    }

    @Override
    public Route route() {
        return Route.post("/plans", Route.Access.scope(Scope.RUNS_EXECUTE), "plans",
                "Plan a goal into validated steps without running it");
    }

    @Override
    public void handle(Context ctx) {
        PlanBody b = bodies.read(ctx, PlanBody.class);
        ChatModel model = models.apply(b.model());
        Planner planner = new Planner(model, cache, clock, maxSteps,
                Arrays.stream(StrategyName.values()).map(StrategyName::wireName).toList());
        Planner.Outcome o = planner.plan(b.goal(), tools.specs(), b.context() == null ? "" : b.context(), UnaryOperator.identity());
        ctx.json(PlanView.toJson(o, model));
    }
}
