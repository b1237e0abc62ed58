package io.sigil.tools;

import io.sigil.config.Settings;
import io.sigil.health.HealthCheck;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Tools a module contributes to {@link io.sigil.Sigil}'s registry from the settings (sigil-tools: the services whose
 * keys are set; sigil-mcp: the configured MCP servers' tools), found with {@link ServiceLoader} so that the core does
 * not depend on those modules. Attached in {@link #order()} when Sigil opens its registries.
 */
public interface ToolSource {
    /** Sources attach in ascending order (services before MCP servers, so a service's tool name wins). */
    default int order() { return 0; }

    /** Registers this source's tools in {@code tools}; the result is closed with Sigil. */
    Attached attach(Settings settings, ToolRegistry tools, Clock clock);

    /** What a source attached: its health checks, closed with Sigil. */
    interface Attached extends AutoCloseable {
        List<HealthCheck> healthChecks();

        @Override
        default void close() { }
    }

    /** The sources on the class path, in order. */
    static List<ToolSource> installed() {
        return ServiceLoader.load(ToolSource.class, ToolSource.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).sorted(Comparator.comparingInt(ToolSource::order)).toList();
    }
}
