package io.sigil.server.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.agents.AgentRegistry;
import io.sigil.auth.Scope;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;
import io.sigil.server.runs.RunLauncher;

import java.time.Clock;
import java.util.List;

/**
 * Sigil's agents behind OpenAI's API (docs/openai-api.md): an OpenAI client pointed at {@code <sigil>/v1} with a
 * Sigil API key or JWT as its key lists the agents as models and chats with them. Authentication, scopes
 * ({@code runs:execute}), rate limits, sessions and events are the server's own; errors are OpenAI's JSON.
 */
public final class OpenAiApi {
    public static final String PREFIX = "/v1";
    /** The response header naming the session a completion ran in; the same request header continues it. */
    public static final String SESSION_HEADER = "Sigil-Session-Id";
    static final String TAG = "openai";
    static final Route.Access ACCESS = Route.Access.scope(Scope.RUNS_EXECUTE);

    private OpenAiApi() { }

    public static List<ApiEndpoint> all(AgentRegistry agents, RunLauncher runs, JsonBodies bodies, ObjectMapper mapper,
                                        Clock clock) {
        return List.of(
                Endpoints.json(Route.get(PREFIX + "/models", ACCESS, TAG, "OpenAI-compatible: the agents as models"),
                        ctx -> ModelList.of(agents.list().stream().map(a -> ModelList.Model.agent(a.name())).toList())),
                Endpoints.json(Route.get(PREFIX + "/models/{model}", ACCESS, TAG, "OpenAI-compatible: one agent as a model"),
                        ctx -> {
                            String name = ctx.pathParam("model");
                            return agents.find(name).map(a -> ModelList.Model.agent(a.name()))
                                    .orElseThrow(() -> modelNotFound(name));
                        }),
                new ChatCompletionsEndpoint(agents, runs, bodies, mapper, clock));
    }

    /** OpenAI's 404 for a model that does not exist: here, no agent of that name. */
    static ApiProblem modelNotFound(String name) {
        return new ApiProblem(Problem.of(404, "model-not-found", "Not found", "The model '" + name + "' does not exist"
                + " or you do not have access to it: models are Sigil agents (GET /v1/models lists them).")
                .withCode("model_not_found").withInvalidParams(List.of(new Problem.InvalidParam("model", "no such agent"))));
    }
}
