package io.sigil.server.mcp;

import io.javalin.http.Context;
import io.sigil.auth.Principal;
import io.sigil.auth.Scope;
import io.sigil.mcp.server.AgentMcpServer;
import io.sigil.server.ApiEndpoint;
import io.sigil.server.Route;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import io.sigil.server.http.RequestContext;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code /mcp}: Sigil's agents as MCP tools over Streamable HTTP (stateless: one JSON-RPC message per POST, a JSON
 * answer, no session), behind the same authentication, rate limits and scopes as the REST API: listing the tools
 * needs {@code agents:read}, calling one (running an agent) {@code runs:execute}, like {@code POST
 * /agents/{name}/run}. {@code GET} answers 405, which tells MCP clients that no server-sent stream is offered.
 */
public final class McpEndpoints {
    private McpEndpoints() { }

    public static List<ApiEndpoint> all(AgentMcpServer server) {
        return List.of(new Post(server), new Get());
    }

    private record Post(AgentMcpServer server) implements ApiEndpoint {
        @Override
        public Route route() {
            return Route.post("/mcp", Route.Access.scope(Scope.AGENTS_READ), "mcp",
                    "MCP (Streamable HTTP, stateless): the agents as tools; tools/call needs runs:execute");
        }

        @Override
        public void handle(Context ctx) {
            String body = new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
            Principal caller = RequestContext.principal(ctx);
            if ("tools/call".equals(AgentMcpServer.method(body)) && caller != null && !caller.has(Scope.RUNS_EXECUTE)) {
                throw new ApiProblem(Problem.of(403, "forbidden", "Forbidden",
                        "Calling an agent through MCP runs it: the credential needs the runs:execute scope."));
            }
            AgentMcpServer.Reply reply = server.handle(body, caller == null ? null : caller.subject());
            if (reply.status() == 400) {
                throw ApiProblem.badRequest("The body must be one JSON-RPC 2.0 message (a request or a notification);"
                        + " batches are not supported.", List.of());
            }
            ctx.status(reply.status());
            if (reply.body() != null) ctx.contentType("application/json").result(reply.body());
        }
    }

    private record Get() implements ApiEndpoint {
        @Override
        public Route route() {
            return Route.get("/mcp", Route.Access.scope(Scope.AGENTS_READ), "mcp",
                    "Not offered: Sigil's MCP endpoint is stateless and opens no server-sent stream (405)");
        }

        @Override
        public void handle(Context ctx) {
            throw new ApiProblem(Problem.of(405, "method-not-allowed", "Method not allowed",
                    "Sigil's MCP endpoint is stateless: POST one JSON-RPC message per request."), Map.of("Allow", "POST"));
        }
    }
}
