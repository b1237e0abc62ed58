package io.sigil.server.agents;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.sigil.agents.AgentDefinition;
import io.sigil.agents.AgentDefinitions;
import io.sigil.agents.AgentRegistry;
import io.sigil.auth.Scope;
import io.sigil.errors.AgentError;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.http.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * Agent definitions over REST: list, read, create, replace, delete. Bodies use the definition file format
 * (docs/agents.md) as JSON; every invalid field is named. Bundled example agents can be overridden, not deleted.
 */
public final class AgentEndpoints {
    private static final String TAG = "agents";
    private static final Route.Access READ = Route.Access.scope(Scope.AGENTS_READ);
    private static final Route.Access WRITE = Route.Access.scope(Scope.AGENTS_WRITE);

    private AgentEndpoints() { }

    public static List<ApiEndpoint> all(AgentRegistry agents, AgentDefinitions definitions, JsonBodies bodies, int maxPage) {
        return List.of(
                Endpoints.pagedList(Route.get("/agents", READ, TAG, "Agent definitions, sorted by name, paged"), maxPage,
                        ctx -> agents.list().stream().map(AgentEndpoints::view).toList()),
                Endpoints.json(Route.get("/agents/{name}", READ, TAG, "One agent definition"),
                        ctx -> view(agents.get(agentName(ctx)))),
                Endpoints.json(Route.post("/agents", WRITE, TAG, "Create an agent (409 when the name exists)"),
                        ctx -> create(agents, definition(ctx, definitions, bodies), ctx)),
                Endpoints.json(Route.put("/agents/{name}", WRITE, TAG, "Create or replace an agent"), ctx -> {
                    String name = agentName(ctx);
                    return replace(agents, name, definition(ctx, definitions, bodies), ctx);
                }),
                Endpoints.noContent(Route.delete("/agents/{name}", WRITE, TAG,
                        "Delete an agent (bundled examples cannot be deleted)"), ctx -> delete(agents, agentName(ctx))));
    }

    private static Object create(AgentRegistry agents, AgentDefinition d, Context ctx) {
        if (agents.find(d.name()).isPresent()) {
            throw new ApiProblem(Problem.of(409, "conflict", "Conflict", "Agent '" + d.name()
                    + "' already exists; replace it with PUT /agents/" + d.name() + ".")
                    .withInvalidParams(List.of(new Problem.InvalidParam("name", "already exists"))));
        }
        agents.save(d);
        ctx.header("Location", "/agents/" + d.name());
        ctx.status(201);
        return view(d);
    }

    static String agentName(Context ctx) {
        String name = ctx.pathParam("name");
        if (!AgentDefinitions.NAME.matcher(name).matches()) {
            throw ApiProblem.badRequest("'" + name + "' is not a valid agent name.", List.of(new Problem.InvalidParam(
                    "name", "snake_case: a lower-case letter, then letters, digits or _ (max 64)")));
        }
        return name;
    }

    /** Parses and validates a definition body; every problem becomes an invalid field. */
    static AgentDefinition definition(Context ctx, AgentDefinitions definitions, JsonBodies bodies) {
        JsonNode body = bodies.read(ctx, JsonNode.class);
        try {
            return definitions.fromTree(body, "request body");
        } catch (AgentError e) {
            Object problems = e.context().get("problems");
            List<Problem.InvalidParam> params = new ArrayList<>();
            if (problems instanceof List<?> list) {
                for (Object p : list) params.add(param(String.valueOf(p)));
            }
            throw ApiProblem.badRequest("The agent definition is invalid; see invalid_params.", params);
        }
    }

    /** "field: reason" or "unknown field 'x' (...)" as an invalid field. */
    private static Problem.InvalidParam param(String problem) {
        if (problem.startsWith("unknown field '")) {
            int end = problem.indexOf('\'', 15);
            return new Problem.InvalidParam(end > 15 ? problem.substring(15, end) : "(body)", problem);
        }
        int colon = problem.indexOf(": ");
        return colon > 0 && problem.substring(0, colon).matches("[a-z_]+")
                ? new Problem.InvalidParam(problem.substring(0, colon), problem.substring(colon + 2))
                : new Problem.InvalidParam("(body)", problem);
    }

    static Object view(AgentDefinition d) {
        return AgentDefinitions.toTree(d);
    }

    private static Object replace(AgentRegistry agents, String name, AgentDefinition d, Context ctx) {
        if (!d.name().equals(name)) {
            throw ApiProblem.badRequest("The body's name '" + d.name() + "' differs from the path's '" + name + "'.",
                    List.of(new Problem.InvalidParam("name", "must equal the name in the path")));
        }
        boolean existed = agents.find(name).isPresent();
        agents.save(d);
        ctx.status(existed ? 200 : 201);
        return view(d);
    }

    private static void delete(AgentRegistry agents, String name) {
        boolean deleted;
        try {
            deleted = agents.delete(name);
        } catch (AgentError e) {
            // A bundled example: it can be overridden (PUT) but not removed.
            throw new ApiProblem(Problem.of(409, "conflict", "Conflict", e.getMessage()
                    + (e.hint() == null ? "" : " (" + e.hint() + ")")));
        }
        if (!deleted) throw ApiProblem.notFound("No agent '" + name + "'.");
    }
}
