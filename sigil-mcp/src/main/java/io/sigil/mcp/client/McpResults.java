package io.sigil.mcp.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.ArrayList;
import java.util.List;

/** A tool result's content as the text a model reads. */
final class McpResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private McpResults() { }

    static String text(McpSchema.CallToolResult result) {
        List<String> parts = new ArrayList<>();
        if (result.content() != null) {
            for (McpSchema.Content c : result.content()) parts.add(part(c));
        }
        if (parts.isEmpty() && result.structuredContent() != null) {
            try {
                parts.add(JSON.writeValueAsString(result.structuredContent()));
            } catch (JsonProcessingException e) {
                parts.add(String.valueOf(result.structuredContent()));
            }
        }
        return String.join("\n", parts);
    }

    private static String part(McpSchema.Content c) {
        return switch (c) {
            case McpSchema.TextContent t -> t.text();
            case McpSchema.ImageContent i -> "[image " + i.mimeType() + ", " + base64Bytes(i.data()) + " bytes]";
            case McpSchema.AudioContent a -> "[audio " + a.mimeType() + ", " + base64Bytes(a.data()) + " bytes]";
            case McpSchema.EmbeddedResource r -> resource(r.resource());
            case McpSchema.ResourceLink l -> "[resource " + l.uri() + (l.name() == null ? "" : " " + l.name()) + "]";
            default -> "[" + c.type() + " content]";
        };
    }

    private static String resource(McpSchema.ResourceContents contents) {
        if (contents instanceof McpSchema.TextResourceContents t) return "[resource " + t.uri() + "]\n" + t.text();
        return "[resource " + contents.uri() + ", " + contents.mimeType() + "]";
    }

    private static long base64Bytes(String data) {
        return data == null ? 0 : data.length() * 3L / 4;
    }
}
