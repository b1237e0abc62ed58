package io.sigil.cli;

import io.sigil.config.Settings;
import io.sigil.mcp.client.McpClients;
import io.sigil.services.Services;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;

import java.time.Clock;

/**
 * The tools the CLI can list and call without opening Sigil's stores (a running server may hold them): the
 * built-in clock, the services whose keys are set and the configured MCP servers' tools. The memory tools need
 * the memory index and are left to a run.
 */
final class ToolCatalog implements AutoCloseable {
    final ToolRegistry registry = new ToolRegistry();
    final Services services;
    final McpClients mcp;

    ToolCatalog(Settings settings) {
        Clock clock = Clock.systemUTC();
        registry.register(new CurrentTimeTool(clock));
        services = Services.fromSettings(settings.tools(), clock);
        services.tools().forEach(registry::register);
        mcp = McpClients.start(settings.tools().mcp(), registry, clock);
    }

    @Override
    public void close() { mcp.close(); }
}
