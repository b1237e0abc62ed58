package io.sigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.sigil.auth.Scope;
import io.sigil.mcp.client.OutputSchemaValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sigil's own {@code /mcp} endpoint driven by the official MCP Java SDK's client over Streamable HTTP. */
class McpEndpointTest {
    @TempDir Path dir;
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.full(dir, TestServer.Options.defaults().testModel());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private McpSyncClient client(String token) {
        var transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.server().port())
                .endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .customizeRequest(b -> {
                    if (token != null) b.header("Authorization", "Bearer " + token);
                })
                .build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .jsonSchemaValidator(new OutputSchemaValidator()).build();
    }

    @Test
    void anMcpHostListsTheAgentsAsToolsAndRunsOne() {
        try (McpSyncClient client = client(server.token(Scope.AGENTS_READ, Scope.RUNS_EXECUTE))) {
            McpSchema.InitializeResult init = client.initialize();
            assertThat(init.serverInfo().name()).isEqualTo("sigil");
            assertThat(init.capabilities().tools()).isNotNull();

            var tools = client.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name)
                    .contains("lead_qualifier", "research_assistant", "appointment_setter");
            McpSchema.Tool lead = tools.stream().filter(t -> t.name().equals("lead_qualifier")).findFirst().orElseThrow();
            assertThat(lead.inputSchema().required()).containsExactly("message");

            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("lead_qualifier",
                    Map.of("message", "Qualify ACME: 50k budget approved, the CFO decides, live next quarter")));
            assertThat(result.content()).isNotEmpty();
            assertThat(((McpSchema.TextContent) result.content().getFirst()).text()).isNotBlank();
            @SuppressWarnings("unchecked") var structured = (Map<String, Object>) result.structuredContent();
            assertThat((String) structured.get("session_id")).isNotBlank();

            // The session it returns continues the conversation; it is the caller's own session.
            McpSchema.CallToolResult again = client.callTool(new McpSchema.CallToolRequest("lead_qualifier",
                    Map.of("message", "And with a 10k budget?", "session_id", structured.get("session_id"))));
            @SuppressWarnings("unchecked") var second = (Map<String, Object>) again.structuredContent();
            assertThat(second.get("session_id")).isEqualTo(structured.get("session_id"));

            assertThatThrownBy(() -> client.callTool(new McpSchema.CallToolRequest("no_such_agent",
                    Map.of("message", "hi")))).isInstanceOf(McpError.class).hasMessageContaining("Unknown tool");
        }
    }

    @Test
    void theSameAuthAndScopesApply() {
        try (McpSyncClient anonymous = client(null)) {
            assertThatThrownBy(anonymous::initialize).hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
        }
        try (McpSyncClient reader = client(server.token(Scope.AGENTS_READ))) {
            reader.initialize();
            assertThat(reader.listTools().tools()).isNotEmpty();
            assertThatThrownBy(() -> reader.callTool(new McpSchema.CallToolRequest("lead_qualifier",
                    Map.of("message", "hi")))).isInstanceOf(McpHttpClientTransportAuthorizationException.class);
        }
        String call = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": {\"name\":"
                + " \"lead_qualifier\", \"arguments\": {\"message\": \"hi\"}}}";
        var forbidden = server.send(server.request("/mcp").header("Authorization", "Bearer "
                + server.token(Scope.AGENTS_READ)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call)).build());
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("runs:execute");
        var get = server.get("/mcp", "Authorization", "Bearer " + server.token(Scope.AGENTS_READ));
        assertThat(get.statusCode()).isEqualTo(405);
        var garbage = server.send(server.request("/mcp").header("Authorization", "Bearer "
                + server.token(Scope.AGENTS_READ)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[1, 2]")).build());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("one JSON-RPC 2.0 message");
    }
}
