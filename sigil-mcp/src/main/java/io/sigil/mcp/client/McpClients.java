package io.sigil.mcp.client;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.sigil.config.Settings;
import io.sigil.errors.SigilError;
import io.sigil.health.HealthCheck;
import io.sigil.tools.ToolRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every configured MCP server's connection, with their tools kept registered in a {@link ToolRegistry}: added when
 * a server connects, replaced when it says its list changed or when a new session lists different tools. Servers
 * that cannot be reached at start (or are found dead later and do not come back within the retries) are retried
 * in the background with a doubling delay up to a minute, so a server that comes back later gets its tools
 * registered without restarting Sigil. A server that is down never stops Sigil from starting.
 */
public final class McpClients implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(McpClients.class);
    private static final Duration MAX_BACKGROUND_DELAY = Duration.ofMinutes(1);

    private final ToolRegistry registry;
    private final Clock clock;
    private final Map<String, McpConnection> connections = new LinkedHashMap<>();
    /** The Sigil tool names each server registered, to replace them when its list changes. */
    private final Map<String, Set<String>> registered = new ConcurrentHashMap<>();
    private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();
    private final Duration firstDelay;
    private final ScheduledExecutorService retries;

    private record Backoff(Instant next, Duration delay) { }

    private McpClients(Settings.Mcp settings, ToolRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.firstDelay = settings.retryDelay().isZero() ? Duration.ofSeconds(1) : settings.retryDelay();
        McpJsonMapper json = new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper());
        for (Settings.McpServer server : settings.servers()) {
            connections.put(server.name(), new McpConnection(server, settings, json,
                    tools -> register(server.name(), tools), clock));
        }
        this.retries = settings.servers().isEmpty() ? null
                : Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("mcp-reconnect").factory());
    }

    /**
     * Connects to every server in parallel (each within {@code mcp.timeout}) and registers their tools in
     * {@code registry}. Servers that fail are reported in their status and retried in the background.
     */
    public static McpClients start(Settings.Mcp settings, ToolRegistry registry, Clock clock) {
        McpClients clients = new McpClients(settings, registry, clock);
        List<Thread> threads = new ArrayList<>();
        for (McpConnection c : clients.connections.values()) {
            threads.add(Thread.ofVirtual().name("mcp-connect-" + c.name()).start(() -> {
                // Twice before giving the server to the background retries: the SDK's stdio transport can refuse
                // the very first message of a process that is still starting ("Failed to enqueue message").
                for (int attempt = 1; attempt <= 2; attempt++) {
                    try {
                        c.connect();
                        return;
                    } catch (SigilError e) {
                        if (attempt == 2 || !e.recoverable()) {
                            log.warn("{}", e.getMessage());
                            return;
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (clients.retries != null) {
            long period = Math.max(200, Math.min(1_000, clients.firstDelay.toMillis()));
            clients.retries.scheduleWithFixedDelay(clients::retryDown, period, period, TimeUnit.MILLISECONDS);
        }
        return clients;
    }

    public List<McpServerStatus> status() {
        return connections.values().stream().map(McpConnection::status).toList();
    }

    public Optional<McpConnection> connection(String name) { return Optional.ofNullable(connections.get(name)); }

    public List<String> names() { return List.copyOf(connections.keySet()); }

    /** One non-critical check per server, from its last known state (no network call per probe). */
    public List<HealthCheck> healthChecks() {
        List<HealthCheck> checks = new ArrayList<>();
        for (McpConnection c : connections.values()) checks.add(new McpServerCheck(c));
        return checks;
    }

    @Override
    public void close() {
        if (retries != null) retries.shutdownNow();
        for (McpConnection c : connections.values()) c.close();
    }

    /** Replaces the tools {@code server} registered with {@code tools}. */
    private synchronized void register(String server, List<McpSchema.Tool> tools) {
        McpConnection connection = connections.get(server);
        Map<String, McpTool> byName = new LinkedHashMap<>();
        for (McpSchema.Tool t : tools) {
            McpTool tool = new McpTool(connection, t);
            if (byName.putIfAbsent(tool.name(), tool) != null) {
                log.warn("MCP server {}: tool '{}' maps to '{}' like another of its tools; skipped", server, t.name(),
                        tool.name());
            }
        }
        // One step: a run looking its tools up meanwhile sees the old list or the new one, never half of each.
        Map<String, String> refused = registry.replace(registered.getOrDefault(server, Set.of()),
                List.copyOf(byName.values()));
        refused.forEach((name, why) -> log.warn("MCP server {}: tool '{}' not registered: {}", server, name, why));
        Set<String> now = new HashSet<>(byName.keySet());
        now.removeAll(refused.keySet());
        registered.put(server, now);
    }

    /** Tries the servers that are down and due, doubling each one's delay after a failure. */
    private void retryDown() {
        for (McpConnection c : connections.values()) {
            if (c.state() != McpServerState.DOWN) {
                backoff.remove(c.name());
                continue;
            }
            Instant now = clock.instant();
            Backoff b = backoff.computeIfAbsent(c.name(), n -> new Backoff(now.plus(firstDelay), firstDelay));
            if (now.isBefore(b.next())) continue;
            try {
                c.connect();
                backoff.remove(c.name());
            } catch (SigilError e) {
                Duration next = b.delay().multipliedBy(2);
                if (next.compareTo(MAX_BACKGROUND_DELAY) > 0) next = MAX_BACKGROUND_DELAY;
                backoff.put(c.name(), new Backoff(clock.instant().plus(next), next));
            } catch (RuntimeException e) {
                log.warn("MCP server {}: reconnection failed unexpectedly: {}", c.name(), McpConnection.describe(e));
            }
        }
    }

    /** {@code mcp:<server>} in the health report. */
    private record McpServerCheck(McpConnection connection) implements HealthCheck {
        @Override
        public String name() { return "mcp:" + connection.name(); }

        @Override
        public boolean critical() { return false; }

        @Override
        public Result check() {
            McpServerStatus s = connection.status();
            String detail = s.transport() + " " + s.target();
            return switch (s.state()) {
                case CONNECTED -> Result.healthy("connected (" + detail + ", " + s.tools() + " tools"
                        + (s.reconnects() > 0 ? ", " + s.reconnects() + " reconnects" : "") + ")");
                case CONNECTING -> Result.degraded("connecting (" + detail + ")");
                case DOWN -> Result.unhealthy("down (" + detail + "): " + s.lastError() + "; retrying in the background");
                case CLOSED -> Result.degraded("closed");
            };
        }
    }
}
