package io.sigil.mcp.client;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.sigil.config.Settings;
import io.sigil.errors.ToolError;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The session with one MCP server over the official SDK: opened and initialised by {@link #connect}, its tools
 * listed (every page) and handed to the listener, again whenever the server says its list changed. When a call
 * finds the session dead (the process exited, the HTTP server restarted and forgot the session), the session is
 * re-initialised with backoff ({@code mcp.max_retries} attempts, {@code mcp.retry_delay} doubled each time) and a
 * call without side effects is sent once more; a call with side effects is not, since the server may have run it.
 */
public final class McpConnection implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(McpConnection.class);
    private static final OutputSchemaValidator VALIDATOR = new OutputSchemaValidator();
    private static final McpSchema.Implementation CLIENT = new McpSchema.Implementation("sigil", "0.1.0");

    private final Settings.McpServer server;
    private final Settings.Mcp settings;
    private final McpJsonMapper json;
    private final Consumer<List<McpSchema.Tool>> toolsListener;
    private final Clock clock;

    private final Object lock = new Object();
    private volatile McpSyncClient client;
    private volatile McpServerState state = McpServerState.CONNECTING;
    private volatile String lastError;
    private volatile Instant connectedAt;
    private volatile String serverVersion;
    private volatile int toolCount;
    private final java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger();

    public McpConnection(Settings.McpServer server, Settings.Mcp settings, McpJsonMapper json,
                         Consumer<List<McpSchema.Tool>> toolsListener, Clock clock) {
        this.server = Objects.requireNonNull(server, "server");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.json = Objects.requireNonNull(json, "json");
        this.toolsListener = Objects.requireNonNull(toolsListener, "toolsListener");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String name() { return server.name(); }

    public Duration timeout() { return settings.timeout(); }

    /**
     * At least 30 s however short {@code mcp.timeout} is: starting a server's process (node, python, an npx
     * download) takes longer than a call, and a slow start must not be mistaken for a dead server.
     */
    private Duration initializationTimeout() {
        Duration floor = Duration.ofSeconds(30);
        return settings.timeout().compareTo(floor) > 0 ? settings.timeout() : floor;
    }

    /** Opens and initialises a session and lists the tools; one attempt. @throws ToolError when it fails */
    public void connect() {
        synchronized (lock) {
            if (state == McpServerState.CLOSED) throw new ToolError("MCP server '" + name() + "' is closed");
            state = McpServerState.CONNECTING;
            McpSyncClient fresh = null;
            try {
                McpClientTransport transport = transport();
                fresh = McpClient.sync(transport)
                        .clientInfo(CLIENT)
                        // The tool executor's timeout (mcp.timeout) ends a call first; this one only frees the SDK.
                        .requestTimeout(settings.timeout().plusSeconds(5))
                        .initializationTimeout(initializationTimeout())
                        .toolsChangeConsumer(this::toolsChanged)
                        .jsonSchemaValidator(VALIDATOR)
                        .build();
                McpSchema.InitializeResult init = fresh.initialize();
                List<McpSchema.Tool> tools = listAll(fresh);
                McpSyncClient old = client;
                client = fresh;
                if (old != null) old.close(); // dead already: a graceful close would wait for it in vain
                serverVersion = init.serverInfo() == null ? null
                        : init.serverInfo().name() + " " + init.serverInfo().version();
                connectedAt = clock.instant();
                sessions.incrementAndGet();
                lastError = null;
                state = McpServerState.CONNECTED;
                if (transport instanceof StdioClientTransport stdio) watchExit(stdio, fresh);
                publish(tools);
                log.info("MCP server {} connected ({}, {} tools)", name(), serverVersion, tools.size());
            } catch (RuntimeException e) {
                if (fresh != null) fresh.close();
                lastError = describe(e);
                state = McpServerState.DOWN;
                throw new ToolError("MCP server '" + name() + "' is unavailable: " + lastError,
                        hint(), Map.of("server", name()), true, e);
            }
        }
    }

    /**
     * Calls a tool by its MCP name. A dead session is re-initialised first (with backoff) when the server is down.
     *
     * @throws ToolError when the server cannot be reached, or the call failed on the way and could not be resent
     */
    public McpSchema.CallToolResult call(String tool, Map<String, Object> arguments, boolean sideEffects) {
        McpSyncClient current = ready();
        try {
            return current.callTool(new McpSchema.CallToolRequest(tool, arguments));
        } catch (McpError e) {
            throw new ToolError("MCP server '" + name() + "' refused the call: " + describe(e));
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) throw e; // the call was cancelled or timed out: not a dead server
            lastError = describe(e);
            log.warn("MCP server {}: call of {} failed ({}); re-initialising the session", name(), tool, lastError);
            McpSyncClient fresh = reconnect(current);
            if (sideEffects) {
                throw new ToolError("MCP server '" + name() + "' lost the call of '" + tool + "' (" + lastError
                        + "); the session is re-initialised but the call is not resent because the tool may have"
                        + " side effects", "check whether it took effect, then call it again if it did not");
            }
            try {
                return fresh.callTool(new McpSchema.CallToolRequest(tool, arguments));
            } catch (McpError again) {
                throw new ToolError("MCP server '" + name() + "' refused the call: " + describe(again));
            } catch (RuntimeException again) {
                lastError = describe(again);
                state = McpServerState.DOWN;
                throw new ToolError("MCP server '" + name() + "' failed the call of '" + tool + "' twice: " + lastError,
                        hint());
            }
        }
    }

    /** Round trip to the server (re-initialising a dead session first); returns how long the ping took. */
    public Duration ping() {
        McpSyncClient current = ready();
        long start = System.nanoTime();
        try {
            current.ping();
        } catch (RuntimeException e) {
            lastError = describe(e);
            current = reconnect(current);
            start = System.nanoTime();
            current.ping();
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    public McpServerStatus status() {
        int reconnects = Math.max(0, sessions.get() - 1);
        return new McpServerStatus(name(), server.stdio() ? "stdio" : "streamable_http", target(), state, toolCount,
                serverVersion, connectedAt, reconnects, lastError);
    }

    public McpServerState state() { return state; }

    @Override
    public void close() {
        synchronized (lock) {
            state = McpServerState.CLOSED;
            McpSyncClient c = client;
            client = null;
            if (c != null) closeQuietly(c);
        }
    }

    /** The live client, reconnecting first when the server is down. */
    private McpSyncClient ready() {
        McpSyncClient current = client;
        if (current != null && state == McpServerState.CONNECTED) return current;
        if (state == McpServerState.CLOSED) throw new ToolError("MCP server '" + name() + "' is closed");
        return reconnect(current);
    }

    /**
     * Replaces {@code failed} with a new session, trying {@code 1 + mcp.max_retries} times with doubling delays.
     * Callers that find the same dead session wait for one reconnection instead of starting their own.
     */
    McpSyncClient reconnect(McpSyncClient failed) {
        synchronized (lock) {
            if (client != null && client != failed && state == McpServerState.CONNECTED) return client;
            Duration delay = settings.retryDelay();
            ToolError last = null;
            for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
                if (attempt > 0) {
                    sleep(delay);
                    delay = delay.multipliedBy(2);
                }
                try {
                    connect();
                    return client;
                } catch (ToolError e) {
                    last = e;
                    log.warn("MCP server {}: attempt {} of {} to reconnect failed: {}", name(), attempt + 1,
                            settings.maxRetries() + 1, lastError);
                }
            }
            throw last;
        }
    }

    private McpClientTransport transport() {
        if (server.stdio()) {
            var params = ServerParameters.builder(server.command()).args(server.args());
            // The child gets Sigil's environment (PATH, HOME) plus the server's own variables.
            var env = new java.util.HashMap<>(System.getenv());
            env.putAll(server.env());
            params.env(env);
            var transport = new StdioClientTransport(params.build(), json);
            transport.setStdErrorHandler(line -> log.debug("MCP server {} stderr: {}", name(), line));
            return transport;
        }
        URI uri = URI.create(server.url());
        String base = uri.getScheme() + "://" + uri.getRawAuthority();
        String endpoint = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/mcp"
                : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return HttpClientStreamableHttpTransport.builder(base)
                .endpoint(endpoint)
                .jsonMapper(json)
                .connectTimeout(settings.timeout())
                .customizeRequest(request -> server.headers().forEach(request::header))
                .build();
    }

    private List<McpSchema.Tool> listAll(McpSyncClient c) {
        List<McpSchema.Tool> tools = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListToolsResult page = cursor == null ? c.listTools() : c.listTools(cursor);
            tools.addAll(page.tools());
            cursor = page.nextCursor();
        } while (cursor != null && !cursor.isEmpty() && tools.size() < 10_000);
        return tools;
    }

    /**
     * The server's notifications/tools/list_changed. The SDK hands over only the first page it re-listed, so the
     * whole list is fetched again, off the SDK's event thread (a blocking call there would wait on itself).
     */
    private void toolsChanged(List<McpSchema.Tool> firstPage) {
        McpSyncClient current = client;
        if (current == null) return;
        Thread.ofVirtual().name("mcp-tools-" + name()).start(() -> {
            try {
                List<McpSchema.Tool> tools = listAll(current);
                if (current == client) {
                    log.info("MCP server {}: tool list changed ({} tools)", name(), tools.size());
                    publish(tools);
                }
            } catch (RuntimeException e) {
                if (current == client) log.warn("MCP server {}: cannot list its tools after a change: {}", name(), describe(e));
            }
        });
    }

    /**
     * A stdio server's process that exits is noticed at once: its session is closed, which fails the calls in
     * flight (a call without side effects is then resent on a new session) and makes the next call reconnect.
     */
    private void watchExit(StdioClientTransport transport, McpSyncClient watched) {
        Thread.ofVirtual().name("mcp-exit-" + name()).start(() -> {
            try {
                transport.awaitForExit();
            } catch (RuntimeException e) {
                return;
            }
            synchronized (lock) {
                if (client != watched || state == McpServerState.CLOSED) return;
                lastError = "the server process exited";
                state = McpServerState.DOWN;
                client = null;
            }
            log.warn("MCP server {}: its process exited; reconnecting on the next call", name());
            watched.close();
        });
    }

    private void publish(List<McpSchema.Tool> tools) {
        toolCount = tools.size();
        toolsListener.accept(List.copyOf(tools));
    }

    private String target() {
        return server.stdio() ? String.join(" ", prepend(server.command(), server.args())) : server.url();
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private String hint() {
        return server.stdio()
                ? "check that '" + server.command() + "' runs on its own (sigil mcp ping " + name() + ")"
                : "check that " + server.url() + " is up and the headers are right (sigil mcp ping " + name() + ")";
    }

    /** The causes' types and messages, outermost first, without stack traces (at most 300 characters). */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause() == t ? null : t.getCause()) {
            String part = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
            if (parts.stream().noneMatch(p -> p.contains(part))) parts.add(part);
        }
        String message = String.join(" <- ", parts);
        return message.length() <= 300 ? message : message.substring(0, 297) + "...";
    }

    private static void closeQuietly(McpSyncClient c) {
        try {
            c.closeGracefully();
        } catch (RuntimeException e) {
            c.close();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolError("interrupted while reconnecting to an MCP server");
        }
    }
}
