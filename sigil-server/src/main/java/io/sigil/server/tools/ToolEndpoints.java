package io.sigil.server.tools;

import io.sigil.auth.Scope;
import io.sigil.llm.ToolSpec;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Endpoints;
import io.sigil.tools.ToolRegistry;

import java.util.List;

/** The tools agents of this server can call: names, descriptions and argument schemas (what the model is shown). */
public final class ToolEndpoints {
    private static final Route.Access READ = Route.Access.scope(Scope.AGENTS_READ);

    private ToolEndpoints() { }

    public static List<ApiEndpoint> all(ToolRegistry tools, int maxPage) {
        return List.of(
                Endpoints.pagedList(Route.get("/tools", READ, "tools",
                        "List the tools agents can call, with their input schemas, paged"), maxPage, ctx -> tools.specs()),
                Endpoints.json(Route.get("/tools/{name}", READ, "tools", "One tool's description and input schema"),
                        ctx -> spec(tools, ctx.pathParam("name"))));
    }

    private static ToolSpec spec(ToolRegistry tools, String name) {
        return tools.specs().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("No tool '" + name + "'. Tools: "
                        + String.join(", ", tools.names()) + "."));
    }
}
