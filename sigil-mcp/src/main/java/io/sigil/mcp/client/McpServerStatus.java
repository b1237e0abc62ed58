package io.sigil.mcp.client;

import java.time.Instant;

/**
 * One server's state for {@code /health}, {@code sigil health} and {@code sigil mcp list}: never its env or
 * headers (they may hold credentials).
 *
 * @param target      the command line (stdio) or URL (Streamable HTTP)
 * @param connectedAt when the current session was initialised, or null
 * @param reconnects  sessions re-initialised after the first
 * @param lastError   why the last attempt or call failed, or null
 */
public record McpServerStatus(String name, String transport, String target, McpServerState state, int tools,
                              String serverVersion, Instant connectedAt, int reconnects, String lastError) { }
