package io.sigil.server.routing;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.config.Settings;
import io.sigil.routing.Router;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.FieldError;
import io.sigil.server.http.JsonBodies;

import java.util.function.Supplier;

/**
 * {@code POST /route}: where a message would go and why, without running it. Needs {@code runs:execute}: in
 * {@code llm} routing mode the decision is itself a (paid) model call.
 */
public final class RouteEndpoint implements ApiEndpoint {
    /** Longest message accepted: routing reads the whole text, and runs have the same limit. */
    public static final int MAX_MESSAGE_CHARS = 100_000;

    private final Supplier<Router> router;
    private final Settings.Features features;
    private final JsonBodies bodies;

    /** @param router built on first use (llm mode resolves a model) */
    public RouteEndpoint(Supplier<Router> router, Settings.Features features, JsonBodies bodies) {
        this.router = router;
        this.features = features;
        this.bodies = bodies;
    }

    public record RouteBody(String message) {
        public RouteBody {
            FieldError.requireText("message", message);
            if (message.length() > MAX_MESSAGE_CHARS) {
                throw new FieldError("message", "message is longer than " + MAX_MESSAGE_CHARS + " characters");
            }
        }
    }

    @Override
    public Route route() {
        return Route.post("/route", Route.Access.scope(Scope.RUNS_EXECUTE), "routing",
                "Explain how a message would be routed: intent, keywords, complexity factors, subsystems");
    }

    @Override
    public void handle(Context ctx) {
        RouteBody body = bodies.read(ctx, RouteBody.class);
        ctx.json(RouteExplanation.toJson(router.get().route(body.message()), features));
    }
}
