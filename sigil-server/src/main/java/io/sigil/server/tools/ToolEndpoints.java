package io.sigil.server.tools;

import io.javalin.http.Context;
import io.sigil.auth.Scope;
import io.sigil.llm.ToolSpec;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.PageRequest;
import io.sigil.tools.ToolRegistry;

import java.util.List;

/** The tools agents of this server can call: names, descriptions and argument schemas (what the model is shown). */
public final class ToolEndpoints {
    private static final Route.Access READ = Route.Access.scope(Scope.AGENTS_READ);

    private ToolEndpoints() { }

    public static List<ApiEndpoint> all(ToolRegistry tools, int maxPage) {
        return List.of(new ListTools(tools, maxPage), new GetTool(tools));
    }

    static final class ListTools implements ApiEndpoint {
        private final ToolRegistry tools;
        private final int maxPage;

        ListTools(ToolRegistry tools, int maxPage) {
            this.tools = tools;
            this.maxPage = maxPage;
        }

        @Override
        public Route route() {
            return Route.get("/tools", READ, "tools", "List the tools agents can call, with their input schemas, paged");
        }

        @Override
        public void handle(Context ctx) {
            PageRequest page = PageRequest.from(ctx, maxPage);
            ctx.json(page.slice(tools.specs()));
        }
    }

    static final class GetTool implements ApiEndpoint {
        private final ToolRegistry tools;

        GetTool(ToolRegistry tools) { this.tools = tools; }

        @Override
        public Route route() {
            return Route.get("/tools/{name}", READ, "tools", "One tool's description and input schema");
        }

        @Override
        public void handle(Context ctx) {
            String name = ctx.pathParam("name");
            ToolSpec spec = tools.specs().stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> ApiProblem.notFound("No tool '" + name + "'. Tools: "
                            + String.join(", ", tools.names()) + "."));
            ctx.json(spec);
        }
    }
}
