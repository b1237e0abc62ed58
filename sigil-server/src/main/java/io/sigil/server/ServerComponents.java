package io.sigil.server;

import io.sigil.mcp.server.AgentMcpServer;
import io.sigil.server.mcp.McpEndpoints;
import io.sigil.server.mcp.OrchestratorAgentGateway;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.sigil.config.Settings;
import io.sigil.contracts.ContractLoader;
import io.sigil.contracts.ContractTemplates;
import io.sigil.contracts.FailureStrategy;
import io.sigil.contracts.ContractStore;
import io.sigil.errors.ConfigError;
import io.sigil.orchestrator.OrchestratorConfig;
import io.sigil.planning.PlanCache;
import io.sigil.Sigil;
import io.sigil.server.agents.AgentEndpoints;
import io.sigil.server.cluster.Cluster;
import io.sigil.server.cluster.ClusterRuns;
import io.sigil.server.cluster.SessionRunEndpoints;
import io.sigil.server.contracts.ContractEndpoints;
import io.sigil.server.http.Json;
import io.sigil.server.http.JsonBodies;
import io.sigil.server.memory.MemoryEndpoints;
import io.sigil.server.plans.PlanEndpoint;
import io.sigil.server.routing.RouteEndpoint;
import io.sigil.server.runs.AgentRunSocket;
import io.sigil.server.runs.OrchestratorRuns;
import io.sigil.server.runs.RunDrain;
import io.sigil.server.runs.RunEndpoint;
import io.sigil.server.runs.TrackedRuns;
import io.sigil.server.sessions.SessionEndpoints;
import io.sigil.server.tools.ToolEndpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The subsystems the API exposes - one {@link Sigil} (event store, memory, registries, orchestrator), built
 * once from settings and shared by all requests - and their REST and WebSocket endpoints. Owns what must be closed
 * (runs in flight, then the runtime with its file locks); {@link SigilServer} closes it after the last request.
 */
public final class ServerComponents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerComponents.class);

    private final List<ApiEndpoint> endpoints;
    private final List<SocketEndpoint> sockets;
    private final Deque<AutoCloseable> owned;
    private final Runnable drain;
    private final ServerState state;
    private final List<io.sigil.health.HealthCheck> healthChecks;
    private final Cluster cluster;

    private ServerComponents(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets, Deque<AutoCloseable> owned,
                             Runnable drain, ServerState state) {
        this(endpoints, sockets, owned, drain, state, List.of(), Cluster.local());
    }

    private ServerComponents(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets, Deque<AutoCloseable> owned,
                             Runnable drain, ServerState state, List<io.sigil.health.HealthCheck> healthChecks,
                             Cluster cluster) {
        this.cluster = cluster;
        this.healthChecks = List.copyOf(healthChecks);
        this.endpoints = List.copyOf(endpoints);
        this.sockets = List.copyOf(sockets);
        this.owned = owned;
        this.drain = drain;
        this.state = state;
    }

    /** Given endpoints that own nothing. */
    public static ServerComponents of(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets) {
        return new ServerComponents(endpoints, sockets, new ArrayDeque<>(), () -> { }, ServerState.NONE);
    }

    /** Given endpoints with their shutdown drain and live state; {@code owned} is closed, newest first, on stop. */
    public static ServerComponents of(List<ApiEndpoint> endpoints, List<SocketEndpoint> sockets, Runnable drain,
                                      ServerState state, List<AutoCloseable> owned) {
        Deque<AutoCloseable> closing = new ArrayDeque<>();
        owned.forEach(closing::push);
        return new ServerComponents(endpoints, sockets, closing, drain, state);
    }

    public static ServerComponents open(Settings settings, ServerOptions options, Clock clock, MeterRegistry meters) {
        return open(settings, options, clock, meters, io.opentelemetry.api.OpenTelemetry.noop());
    }

    /** @param telemetry where runs send their traces (the no-op when telemetry is off) */
    public static ServerComponents open(Settings settings, ServerOptions options, Clock clock, MeterRegistry meters,
                                        io.opentelemetry.api.OpenTelemetry telemetry) {
        Deque<AutoCloseable> owned = new ArrayDeque<>();
        try {
            // One runtime per process: it holds the event store's directory lock and opens the memory index on
            // first use; shared by every request and run, closed after the last request on shutdown.
            // What replicas share (Redis when configured): rate limits, session leases, cancel and run messages, plans.
            Cluster cluster = Cluster.open(settings);
            owned.push(cluster);
            Sigil runtime = Sigil.builder().settings(settings).meters(meters).clock(clock).telemetry(telemetry)
                    .sharedCache(cluster.cache()).build();
            owned.push(runtime);
            // Crash recovery, before any run: runs the last process left without an answer are marked interrupted
            // (not those whose lease another live replica holds: they are running there).
            Runnable sweep = () -> {
                List<String> interrupted = runtime.sessions().markInterruptedRuns(
                        "the server stopped before the run finished (crash or kill)", clock.instant(),
                        cluster.leases()::held);
                if (!interrupted.isEmpty()) {
                    log.warn("Marked {} run(s) cut short by a stopped process as interrupted (run.interrupted): {}",
                            interrupted.size(), interrupted.size() > 10 ? interrupted.subList(0, 10) + " ..." : interrupted);
                }
            };
            sweep.run();
            // Optimisations a crash or restart cut short go on from their last generation (or are marked interrupted).
            if (settings.features().evolution()) {
                for (var job : runtime.evolutionJobs().recover()) {
                    log.warn("Optimisation job {} of agent '{}' was cut short: {}", job.id(), job.agent(),
                            job.status() == io.sigil.evolution.OptimizationJob.Status.RUNNING
                                    ? "resumed from generation " + job.generation() : job.reason());
                }
            }
            // A server opens memory (index, embedding model) before it accepts requests, not inside the first one;
            // the CLI opens it only when a command uses it.
            if (settings.features().memory()) runtime.memory();
            JsonBodies bodies = new JsonBodies(Json.requestMapper());
            ObjectMapper mapper = Json.responseMapper();
            int maxPage = options.maxPageSize();
            List<ApiEndpoint> endpoints = new ArrayList<>();

            ContractLoader loader = new ContractLoader(settings.contracts().defaultMaxRetries(), strategy(settings));
            ContractTemplates templates = new ContractTemplates(loader);
            // Its own view of the backend's contracts (the runtime's reads the same files or rows on every lookup),
            // with the writing and version listing the endpoints need.
            ContractStore contracts = runtime.state().contracts(loader, templates);
            endpoints.addAll(ContractEndpoints.all(contracts, templates, loader, bodies, mapper, maxPage));
            endpoints.addAll(ToolEndpoints.all(runtime.tools(), maxPage));
            endpoints.add(new RouteEndpoint(runtime::router, settings.features(), bodies));
            endpoints.addAll(SessionEndpoints.all(runtime.sessions(), bodies, maxPage));
            endpoints.addAll(MemoryEndpoints.all(runtime::memory, bodies, maxPage));
            endpoints.addAll(AgentEndpoints.all(runtime.agents(), runtime.definitions(), bodies, maxPage));
            endpoints.addAll(io.sigil.server.evolution.EvolutionEndpoints.all(runtime::evolution, runtime::evolutionJobs, bodies));

            ClusterRuns clusterRuns = new ClusterRuns(new OrchestratorRuns(runtime.orchestrator(), runtime.agents()),
                    cluster.leases(), cluster.bus(), mapper);
            owned.push(clusterRuns);
            if (cluster.shared()) clusterRuns.afterLeaseTtl(sweep); // a replica killed just before: its leases expire
            TrackedRuns runs = new TrackedRuns(clusterRuns, options.shutdownTimeout(), clock);
            owned.push(runs); // closed before the runtime: runs finish (or are cancelled) while the store is open
            endpoints.addAll(SessionRunEndpoints.all(runtime.sessions(), cluster.leases(), cluster.bus(), bodies, mapper, clock));
            // The state backend's keys (PostgreSQL: shared by replicas, so a revocation anywhere ends streams here).
            var credentials = new io.sigil.server.http.CredentialWatch(new io.sigil.auth.ApiKeys(
                    runtime.state().apiKeys(), clock), clock, io.sigil.server.http.CredentialWatch.DEFAULT_INTERVAL);
            owned.push(credentials);
            RunEndpoint run = new RunEndpoint(runs, bodies, mapper, clock, credentials);
            endpoints.add(run);
            endpoints.addAll(io.sigil.server.openai.OpenAiApi.all(runtime.agents(), runs, bodies, mapper, clock));
            // Human approval of held tool calls: decided here (REST, WebSocket), resumed as tracked runs.
            var approvals = new io.sigil.server.approvals.ApprovalDesk(new io.sigil.approval.Approvals(runtime.events(),
                    runtime.tools(), clock), runs, io.sigil.server.approvals.ApprovalDesk.sweepInterval(
                    settings.tools().approval().expiry()));
            owned.push(approvals);
            endpoints.addAll(io.sigil.server.approvals.ApprovalEndpoints.all(approvals, bodies, maxPage));
            endpoints.add(new PlanEndpoint(m -> runtime.models().resolve(m), runtime.tools(),
                    new PlanCache(clock, PlanCache.DEFAULT_TTL, 1_000, cluster.cache()), bodies, clock,
                    OrchestratorConfig.from(settings).maxPlanSteps()));
            var plansElsewhere = new io.sigil.server.cluster.ClusterPlans(runtime.orchestrator().runningPlans(), cluster.bus(), mapper);
            owned.push(plansElsewhere);
            endpoints.addAll(io.sigil.server.plans.PlanEndpoints.all(runtime.orchestrator().runningPlans(),
                    runtime.sessions(), plansElsewhere, maxPage));

            if (settings.tools().mcp().serverEnabled()) {
                AgentMcpServer mcp = new AgentMcpServer(new OrchestratorAgentGateway(runtime.orchestrator(),
                        runtime.agents()), ServerAssembly.version(), settings.llm().timeout().multipliedBy(10));
                owned.push(mcp);
                endpoints.addAll(McpEndpoints.all(mcp));
            }

            AgentRunSocket socket = new AgentRunSocket(runs, bodies, mapper, clock, AgentRunSocket.Settings.DEFAULTS,
                    credentials, approvals);
            owned.push(socket);
            return new ServerComponents(endpoints, List.of(socket), owned, new RunDrain(runs, List.of(socket)),
                    new ServerState(runs, run, List.of(socket), runtime), runtime.toolHealthChecks(), cluster);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
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

    /** Checks of the components' own dependencies (services, MCP servers) for {@code /health}. */
    public List<io.sigil.health.HealthCheck> healthChecks() { return healthChecks; }

    /** What this replica shares with the others: rate limiter, session leases, message bus. */
    public Cluster cluster() { return cluster; }

    /** Shutdown's first step (see {@link RunDrain}); run by the server before it stops serving. */
    public void drain() { drain.run(); }

    /** The live state {@code /debug/state} shows: runs, streams, connections, the event store, memory. */
    public ServerState state() { return state; }

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
