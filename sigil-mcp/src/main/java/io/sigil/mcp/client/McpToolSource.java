package io.sigil.mcp.client;

import io.sigil.config.Settings;
import io.sigil.health.HealthCheck;
import io.sigil.tools.ToolRegistry;
import io.sigil.tools.ToolSource;

import java.time.Clock;
import java.util.List;

/**
 * Connects the configured MCP servers (in parallel; a server that is down is retried in the background and its tools
 * registered when it comes up) and registers their tools (ServiceLoader); one health check per server.
 */
public final class McpToolSource implements ToolSource {
    @Override
    public int order() { return 100; }

    @Override
    public Attached attach(Settings settings, ToolRegistry tools, Clock clock) {
        McpClients mcp = McpClients.start(settings.tools().mcp(), tools, clock);
        return new Attached() {
            @Override public List<HealthCheck> healthChecks() { return mcp.healthChecks(); }
            @Override public void close() { mcp.close(); }
        };
    }
}
