package io.sigil.mcp.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import io.sigil.errors.ToolError;
import io.sigil.tools.Tool;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One tool of an MCP server behind Sigil's tool port, named {@code <server>__<tool>}. Its input schema is the
 * server's, so the tool executor validates arguments before anything is sent; the result's content (text, and a
 * line for each image, audio or resource) comes back as text, which the executor caps and wraps as untrusted data
 * like any tool's. A result the server flags as an error is a {@link ToolError} the model can react to.
 *
 * <p>Side effects follow the tool's annotations: only a tool that says {@code readOnlyHint: true} is taken to have
 * none (the MCP default for a tool that says nothing is "may write").
 */
public final class McpTool implements Tool {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DESCRIPTION_MAX = 1_000;

    private final McpConnection connection;
    private final McpSchema.Tool tool;
    private final String name;
    private final JsonNode schema;

    public McpTool(McpConnection connection, McpSchema.Tool tool) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.tool = Objects.requireNonNull(tool, "tool");
        this.name = McpToolNames.sigilName(connection.name(), tool.name());
        this.schema = schema(tool);
    }

    /** The tool's name on its server. */
    public String mcpName() { return tool.name(); }

    @Override
    public String name() { return name; }

    @Override
    public String description() {
        String d = tool.description() == null || tool.description().isBlank()
                ? (tool.title() == null ? tool.name() : tool.title()) : tool.description().strip();
        return d.length() <= DESCRIPTION_MAX ? d : d.substring(0, DESCRIPTION_MAX - 3) + "...";
    }

    @Override
    public JsonNode inputSchema() { return schema; }

    @Override
    public Duration timeout() { return connection.timeout(); }

    @Override
    public boolean sideEffects() {
        return tool.annotations() == null || !Boolean.TRUE.equals(tool.annotations().readOnlyHint());
    }

    @Override
    public String source() { return "mcp:" + connection.name(); }

    @Override
    @SuppressWarnings("unchecked")
    public String execute(JsonNode arguments) {
        Map<String, Object> args = JSON.convertValue(arguments, Map.class);
        McpSchema.CallToolResult result = connection.call(tool.name(), args, sideEffects());
        String text = McpResults.text(result);
        if (Boolean.TRUE.equals(result.isError())) {
            throw new ToolError(text.isBlank() ? "the MCP tool reported an error without a message" : text);
        }
        return text;
    }

    /** The server's input schema as a JSON tree; nulls dropped (the SDK's record has a field for every keyword). */
    private static JsonNode schema(McpSchema.Tool tool) {
        JsonNode tree = tool.inputSchema() == null ? JSON.createObjectNode() : JSON.valueToTree(tool.inputSchema());
        ObjectNode out = JSON.createObjectNode();
        tree.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) out.set(e.getKey(), e.getValue());
        });
        if (!out.has("type")) out.put("type", "object");
        return out;
    }
}
