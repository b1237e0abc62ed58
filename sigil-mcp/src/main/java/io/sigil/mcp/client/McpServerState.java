package io.sigil.mcp.client;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a connection to one MCP server stands. */
public enum McpServerState {
    /** Not connected yet, or being (re)connected. */
    CONNECTING,
    /** Initialised; its tools are registered. */
    CONNECTED,
    /** The last attempts failed; reconnection is retried in the background and on the next call. */
    DOWN,
    /** Closed with Sigil. */
    CLOSED;

    @JsonValue
    public String wire() { return name().toLowerCase(Locale.ROOT); }
}
