package io.sigil.mcp.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.sigil.errors.SigilError;
import io.sigil.mcp.client.OutputSchemaValidator;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sigil's agents as MCP tools, on the official SDK's stateless server: each agent is a tool taking
 * {@code message} (and optionally {@code session_id} to continue a conversation) and answering with the run's
 * output. Stateless Streamable HTTP: every POST carries one JSON-RPC message and gets its JSON answer, so any
 * instance behind a load balancer can serve any request and no MCP session has to survive a restart.
 *
 * <p>The HTTP layer (authentication, scopes, limits) stays in the server module, which calls {@link #handle} with
 * the request body and the caller; the tool list follows the agent registry (agents created or deleted while the
 * server runs appear and disappear).
 */
public final class AgentMcpServer implements AutoCloseable {
    /** The {@link McpTransportContext} key of the authenticated caller's subject. */
    public static final String USER = "sigil.user";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT_SCHEMA = """
            {"type": "object", "properties": {
              "message": {"type": "string", "minLength": 1, "description": "The request for the agent, in plain language"},
              "session_id": {"type": "string", "description": "Continue this earlier session (returned by a previous call); omit to start a new one"}},
             "required": ["message"], "additionalProperties": false}""";

    private final AgentGateway agents;
    private final McpJsonMapper json = new JacksonMcpJsonMapper(JSON);
    private final Transport transport = new Transport();
    private final McpStatelessSyncServer server;
    private final Duration timeout;
    private final Set<String> offered = new HashSet<>();

    /** One HTTP answer: status and JSON body (null for 202 Accepted). */
    public record Reply(int status, String body) { }

    public AgentMcpServer(AgentGateway agents, String version, Duration timeout) {
        this.agents = Objects.requireNonNull(agents, "agents");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.server = McpServer.sync(transport)
                .serverInfo("sigil", version)
                .instructions("Each tool is a Sigil agent. Call it with a message; pass the session_id it returns to"
                        + " continue the same conversation.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(json)
                .jsonSchemaValidator(new OutputSchemaValidator())
                .requestTimeout(timeout)
                .build();
    }

    /**
     * Handles one POSTed JSON-RPC message for {@code user}. Requests get 200 and their response, notifications and
     * responses 202, a body that is not a JSON-RPC message 400 with a JSON-RPC parse error.
     */
    public Reply handle(String body, String user) {
        McpSchema.JSONRPCMessage message;
        try {
            message = McpSchema.deserializeJsonRpcMessage(json, body);
        } catch (IOException | RuntimeException e) {
            return error(400, null, McpSchema.ErrorCodes.PARSE_ERROR,
                    "the body must be one JSON-RPC 2.0 message (batches are not supported)");
        }
        McpTransportContext context = McpTransportContext.create(user == null ? Map.of() : Map.of(USER, user));
        McpStatelessServerHandler handler = transport.handler;
        try {
            switch (message) {
                case McpSchema.JSONRPCRequest request -> {
                    if ("tools/list".equals(request.method()) || "tools/call".equals(request.method())) syncTools();
                    McpSchema.JSONRPCResponse response = handler.handleRequest(context, request).block(timeout.plusSeconds(5));
                    return new Reply(200, json.writeValueAsString(response));
                }
                case McpSchema.JSONRPCNotification notification -> {
                    // Stateless: initialized, cancelled and progress notifications have nothing to act on.
                    return new Reply(202, null);
                }
                default -> {
                    return new Reply(202, null); // a response to a request this server never sends
                }
            }
        } catch (IOException e) {
            return error(500, null, McpSchema.ErrorCodes.INTERNAL_ERROR, "cannot write the response");
        }
    }

    /** The JSON-RPC method of a body, or null when it is not a request; the HTTP layer checks scopes by it. */
    public static String method(String body) {
        try {
            var node = JSON.readTree(body);
            return node != null && node.path("method").isTextual() ? node.path("method").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** Offers exactly the agents registered now. */
    private synchronized void syncTools() {
        Map<String, AgentGateway.AgentTool> now = new LinkedHashMap<>();
        for (AgentGateway.AgentTool a : agents.agents()) now.put(a.name(), a);
        for (String gone : Set.copyOf(offered)) {
            if (!now.containsKey(gone)) {
                server.removeTool(gone);
                offered.remove(gone);
            }
        }
        for (AgentGateway.AgentTool a : now.values()) {
            if (offered.add(a.name())) server.addTool(tool(a));
        }
    }

    private McpStatelessServerFeatures.SyncToolSpecification tool(AgentGateway.AgentTool agent) {
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(agent.name())
                .title(agent.name().replace('_', ' '))
                .description(agent.description())
                .inputSchema(json, INPUT_SCHEMA)
                // An agent may call tools with side effects of its own: not read-only, not idempotent.
                .annotations(new McpSchema.ToolAnnotations(agent.name(), false, false, false, true, false))
                .build();
        return new McpStatelessServerFeatures.SyncToolSpecification(tool, (context, call) -> run(agent.name(), context, call));
    }

    private McpSchema.CallToolResult run(String agent, McpTransportContext context, McpSchema.CallToolRequest call) {
        Object message = call.arguments() == null ? null : call.arguments().get("message");
        Object session = call.arguments() == null ? null : call.arguments().get("session_id");
        if (!(message instanceof String m) || m.isBlank()) {
            return failure("'message' is required: the request for the agent, as text");
        }
        try {
            AgentGateway.Answer answer = agents.run(agent, m, session instanceof String s && !s.isBlank() ? s : null,
                    (String) context.get(USER));
            Map<String, Object> structured = new LinkedHashMap<>();
            structured.put("answer", answer.text());
            structured.put("session_id", answer.sessionId());
            structured.put("status", answer.status());
            return McpSchema.CallToolResult.builder()
                    .addTextContent(answer.text())
                    .structuredContent(structured)
                    .isError(!answer.success())
                    .build();
        } catch (SigilError e) {
            return failure(e.getMessage() + (e.hint() == null ? "" : " " + e.hint()));
        }
    }

    private static McpSchema.CallToolResult failure(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }

    private Reply error(int status, Object id, int code, String message) {
        var error = new McpSchema.JSONRPCResponse.JSONRPCError(code, message, null);
        try {
            return new Reply(status, json.writeValueAsString(new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, id,
                    null, error)));
        } catch (IOException e) {
            return new Reply(status, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + "}}");
        }
    }

    /** The SDK's side of the transport: it hands over its handler, {@link #handle} feeds it. */
    private static final class Transport implements McpStatelessServerTransport {
        private volatile McpStatelessServerHandler handler;

        @Override
        public void setMcpHandler(McpStatelessServerHandler handler) { this.handler = handler; }

        @Override
        public Mono<Void> closeGracefully() { return Mono.empty(); }
    }
}
