package io.sigil.mcp.client;

import java.util.Locale;

/**
 * How an MCP server's tool is named in Sigil: {@code <server>__<tool>}, the tool's name in snake case
 * ({@code everything} + {@code get-sum} is {@code everything__get_sum}). The issue's {@code server.tool} reads
 * better, but model APIs accept only {@code [a-zA-Z0-9_-]} in tool names, so the separator is a double underscore
 * (server names are single-underscore snake case, so the split is never ambiguous).
 */
public final class McpToolNames {
    public static final String SEPARATOR = "__";
    private static final int MAX = 64;

    private McpToolNames() { }

    public static String sigilName(String server, String tool) {
        String snake = tool.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]+", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
        String name = server + SEPARATOR + (snake.isEmpty() ? "tool" : snake);
        return name.length() <= MAX ? name : name.substring(0, MAX);
    }

    /** The server part of a Sigil name made by {@link #sigilName}, or null when it is not an MCP tool's name. */
    public static String server(String sigilName) {
        int at = sigilName.indexOf(SEPARATOR);
        return at > 0 ? sigilName.substring(0, at) : null;
    }
}
