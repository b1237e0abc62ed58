package io.sigil.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FailureStrategy;
import io.sigil.contracts.FileContractRegistry;
import io.sigil.errors.ConfigError;
import io.sigil.events.file.FileEventStore;
import io.sigil.sessions.SessionManager;
import io.sigil.server.sessions.SessionEndpoints;
import io.sigil.llm.ModelResolver;
import io.sigil.routing.Router;
import io.sigil.routing.Routers;
import io.sigil.server.contracts.ContractEndpoints;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.routing.RouteEndpoint;
import io.sigil.server.tools.ToolEndpoints;
import io.sigil.tools.CurrentTimeTool;
import io.sigil.tools.ToolRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The subsystems the API exposes, built once from settings and shared by all requests, and their REST endpoints.
 * Owns what must be closed (stores holding file locks, the memory index); {@link SigilServer} closes it after the
 * last request has finished.
 */
public final class ServerComponents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerComponents.class);

    private final List<ApiEndpoint> endpoints;
    private final List<SocketEndpoint> sockets;
    private final Deque<AutoCloseable> owned;

    private ServerComponents(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets, Deque<AutoCloseable> owned) {
        this.endpoints = List.copyOf(endpoints);
        this.sockets = List.copyOf(sockets);
        this.owned = owned;
    }

    /** Given endpoints that own nothing. */
    public static ServerComponents of(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets) {
        return new ServerComponents(endpoints, sockets, new ArrayDeque<>());
    }

    public static ServerComponents open(Settings settings, ServerOptions options, Clock clock, MeterRegistry meters) {
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            JsonBodies bodies = new JsonBodies(Json.requestMapper());
            int maxPage = options.maxPageSize();
            List<ApiEndpoint> endpoints = new ArrayList<>();

            ContractLoader loader = new ContractLoader(settings.contracts().defaultMaxRetries(), strategy(settings));
            ContractTemplates templates = new ContractTemplates(loader);
            FileContractRegistry contracts = new FileContractRegistry(settings.contracts().dir(), loader, templates);
            endpoints.addAll(ContractEndpoints.all(contracts, templates, loader, bodies, Json.responseMapper(), maxPage));

            ToolRegistry tools = ToolRegistry.of(new CurrentTimeTool(clock));
            endpoints.addAll(ToolEndpoints.all(tools, maxPage));

            Lazy<Router> router = new Lazy<>(() -> Routers.forMode(settings.routing().mode(),
                    () -> new ModelResolver(settings.llm()).resolve((String) null), null));
            endpoints.add(new RouteEndpoint(router, settings.features(), bodies));
            // One event store per data directory (it holds the directory's lock): opened now, shared by every
            // request and run, closed after the last request on shutdown.
            FileEventStore store = openStore(settings.state());
            owned.push(store);
            SessionManager sessions = new SessionManager(store);
            endpoints.addAll(SessionEndpoints.all(sessions, bodies, maxPage));

            List<SocketEndpoint> sockets = new ArrayList<>();
            return new ServerComponents(endpoints, sockets, owned);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    private static FileEventStore openStore(Settings.State state) {
        if (!"file".equalsIgnoreCase(state.backend())) {
            throw new ConfigError("state backend '" + state.backend() + "' is not available in this build",
                    "Set SIGIL_STATE_BACKEND=file (the embedded event store).");
        }
        return FileEventStore.open(state.dataDir(), state.maxEventsPerSession());
    }

    private static FailureStrategy strategy(Settings s) {
        try {
            return FailureStrategy.parse(s.contracts().defaultStrategy());
        } catch (IllegalArgumentException e) {
            throw new ConfigError("contracts.default_strategy: " + e.getMessage(),
                    "Set SIGIL_CONTRACT_DEFAULT_STRATEGY to retry, fallback or fail.");
        }
    }

    public List<ApiEndpoint> endpoints() { return endpoints; }

    public List<SocketEndpoint> sockets() { return sockets; }

    /** Closes what was opened, newest first. */
    @Override
    public void close() { closeAll(owned); }

    private static void closeAll(Deque<AutoCloseable> owned) {
        synchronized (owned) {
            while (!owned.isEmpty()) {
                AutoCloseable c = owned.pop();
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("Closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}
