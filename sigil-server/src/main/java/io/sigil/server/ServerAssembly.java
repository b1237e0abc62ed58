package io.sigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sigil.auth.ApiKeys;
import io.sigil.auth.Authenticator;
import io.sigil.auth.HmacKey;
import io.sigil.auth.JwtVerifier;
import io.sigil.config.Settings;
import io.sigil.health.HealthChecks;
import io.sigil.health.HealthCheck;
import io.sigil.server.http.Cors;
import io.sigil.server.http.HttpMetrics;
import io.sigil.server.http.Json;
import io.sigil.server.http.Problems;
import io.sigil.server.http.RequestGuard;
import io.sigil.server.http.RequestPipeline;
import io.sigil.server.http.RequestTracing;
import io.sigil.server.telemetry.Telemetry;
import io.sigil.server.http.SecurityHeaders;
import io.sigil.server.ops.DebugConfigEndpoint;
import io.sigil.server.ops.DebugStateEndpoint;
import io.sigil.server.ops.HealthEndpoint;
import io.sigil.server.ops.LivenessEndpoint;
import io.sigil.server.ops.OperationalMetrics;
import io.sigil.server.ops.Readiness;
import io.sigil.server.ops.ReadinessEndpoint;
import io.sigil.server.ops.MetricsEndpoint;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wires the server from settings: credentials (JWT secret, API key file under the state directory), the
 * in-process rate limiter, the Prometheus registry with JVM meters, health checks and the operational endpoints.
 * Subsystems add their REST endpoints through {@code endpoints}.
 */
public final class ServerAssembly {
    private ServerAssembly() { }

    /** The assembled server and the shared pieces endpoints and tests may need. */
    public record Assembled(SigilServer server, PrometheusMeterRegistry registry, ApiKeys apiKeys, ObjectMapper mapper) { }

    public static String version() {
        String v = ServerAssembly.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The full API as {@code sigil serve} runs it: the subsystems' endpoints from {@link ServerComponents}, opened
     * here (they share the server's meter registry) and closed by the server when it stops.
     */
    public static Assembled assemble(Settings settings, ServerOptions options, Clock clock) {
        return assemble(settings, options, clock,
                (registry, telemetry) -> ServerComponents.open(settings, options, clock, registry, telemetry));
    }

    /** Only the operational endpoints plus {@code endpoints} (tests, embedding). */
    public static Assembled assemble(Settings settings, ServerOptions options, List<ApiEndpoint> endpoints, Clock clock) {
        return assemble(settings, options, endpoints, List.of(), clock);
    }

    public static Assembled assemble(Settings settings, ServerOptions options, List<ApiEndpoint> endpoints,
                                     List<SocketEndpoint> sockets, Clock clock) {
        return assemble(settings, options, clock, (registry, telemetry) -> ServerComponents.of(endpoints, sockets));
    }

    /** The operational endpoints plus already opened {@code components} (their drain and state included). */
    public static Assembled assemble(Settings settings, ServerOptions options, ServerComponents components, Clock clock) {
        return assemble(settings, options, clock, (registry, telemetry) -> components);
    }

    private static Assembled assemble(Settings settings, ServerOptions options, Clock clock,
                                      java.util.function.BiFunction<PrometheusMeterRegistry, io.opentelemetry.api.OpenTelemetry,
                                              ServerComponents> opener) {
        Instant started = clock.instant();
        ObjectMapper mapper = Json.responseMapper();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Telemetry telemetry = Telemetry.from(settings.telemetry(), version());
        ServerComponents components;
        try {
            components = opener.apply(registry, telemetry.api());
        } catch (RuntimeException e) {
            telemetry.close();
            throw e;
        }
        try {
            return assemble(settings, options, clock, started, mapper, registry, components, telemetry);
        } catch (RuntimeException e) {
            components.close();
            telemetry.close();
            throw e;
        }
    }

    private static Assembled assemble(Settings settings, ServerOptions options, Clock clock, Instant started,
                                      ObjectMapper mapper, PrometheusMeterRegistry registry, ServerComponents components,
                                      Telemetry telemetry) {

        Settings.Security security = settings.security();
        String secret = security.jwtSecret();
        JwtVerifier jwt = secret == null || secret.isBlank() ? null
                : new JwtVerifier(HmacKey.of(secret), security.jwtIssuer(), security.jwtAudience(), options.jwtLeeway(), clock);
        io.sigil.auth.ApiKeyStore keyStore = components.state().apiKeyStore(settings);
        // last_used_at, coalesced: about one write per key a minute, flushed when the server stops (closed first).
        var keyUsage = new io.sigil.auth.KeyUsage(keyStore, clock, io.sigil.auth.KeyUsage.DEFAULT_RESOLUTION, true);
        ApiKeys apiKeys = new ApiKeys(keyStore, clock, keyUsage);
        var cluster = components.cluster();
        boolean debug = settings.debug() || settings.api().debug();

        Problems problems = new Problems(mapper, List.of(io.sigil.server.openai.OpenAiError.dialect(mapper)));
        Authenticator authenticator = new Authenticator(jwt, apiKeys);
        // The operator console's logins; its cookie also opens the run WebSocket for the console's own pages.
        io.sigil.server.console.ConsoleLogins consoleLogins = io.sigil.server.console.ConsoleLogins.defaults(clock, cluster.cache());
        RequestPipeline pipeline = new RequestPipeline(
                new SecurityHeaders(options.hstsMaxAgeSeconds()),
                new Cors(settings.api().corsOrigins()),
                new RequestGuard(authenticator, cluster.limiter(), security.rateLimitPerMinute(), debug,
                        io.sigil.server.net.TrustedProxies.parse(settings.api().trustedProxies()),
                        new io.sigil.server.console.ConsoleAuth(authenticator, consoleLogins)),
                problems, new HttpMetrics(registry), settings.api().maxBodyBytes(), RequestTracing.of(telemetry.api()));

        List<HealthCheck> checks = new ArrayList<>(HealthChecks.forSettings(settings, Duration.ofSeconds(1)));
        for (HealthCheck own : components.state().healthChecks()) {
            checks.removeIf(c -> c.name().equals(own.name()));
            checks.add(own);
        }
        for (HealthCheck own : components.healthChecks()) {
            checks.removeIf(c -> c.name().equals(own.name())); // the Redis check replaces the TCP one named cache
            checks.add(own);
        }
        for (HealthCheck own : cluster.healthChecks()) {
            checks.removeIf(c -> c.name().equals(own.name()));
            checks.add(own);
        }
        var runtime = components.state().runtime();
        if (runtime != null) {
            // The file store says when it refuses writes (full disk, stopped); other stores report through their own checks.
            checks.add(new io.sigil.health.StoreWriteCheck("event_store", () -> runtime.events()
                    instanceof io.sigil.events.file.FileEventStore file ? file.writeProblem() : java.util.Optional.empty()));
            // Memory says when it cannot index its writes (full disk, embedder down) or follow the database.
            checks.add(new io.sigil.health.StoreWriteCheck("memory_index", runtime::memoryWriteProblem));
        }

        HealthEndpoint health = new HealthEndpoint(checks, version(), started, clock);
        Readiness readiness = new Readiness();
        OperationalMetrics.bind(registry, health::report, settings);
        List<ApiEndpoint> all = new ArrayList<>();
        all.add(health);
        all.add(new LivenessEndpoint());
        all.add(new ReadinessEndpoint(health::report, readiness));
        all.add(new MetricsEndpoint(registry));
        all.add(new DebugConfigEndpoint(settings, mapper));
        // The route list exists only once the server is built; /debug/state reads it afterwards.
        AtomicReference<List<Route>> routes = new AtomicReference<>(List.of());
        all.add(new DebugStateEndpoint(() -> {
            Map<String, Object> state = state(started, clock, pipeline, cluster, apiKeys, routes.get(), debug, jwt != null);
            state.putAll(components.state().snapshot());
            return state;
        }));
        all.addAll(components.endpoints());
        if (runtime != null) {
            all.addAll(io.sigil.server.console.Console.builder().authenticator(authenticator).logins(consoleLogins)
                    .runtime(runtime).health(health::report).registry(registry).version(version()).build().endpoints());
        }
        Settings.Api api = settings.api();
        var limits = new io.sigil.server.net.ConnectionLimits(api.maxConnections(), api.maxConnectionsPerClient(),
                api.requestHeaderTimeout(), api.minRequestBytesPerSecond());
        io.sigil.server.net.DescriptorLimit.warnIfLow(limits);
        SigilServer server = SigilServer.create(all, components.sockets(), pipeline, problems, mapper,
                settings.api().maxBodyBytes(), options.shutdownTimeout(), version(), limits);
        server.drainOnStop(readiness::markDraining); // first: probes see "not ready" while runs drain
        server.drainOnStop(components::drain);
        server.closeOnStop(telemetry); // closed last: flushes the spans of the runs drained before it
        server.closeOnStop(components);
        server.closeOnStop(keyUsage);
        routes.set(server.routes());
        return new Assembled(server, registry, apiKeys, mapper);
    }

    private static Map<String, Object> state(Instant started, Clock clock, RequestPipeline pipeline,
                                             io.sigil.server.cluster.Cluster cluster, ApiKeys apiKeys, List<Route> routes,
                                             boolean debug, boolean jwtEnabled) {
        Instant now = clock.instant();
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("version", version());
        s.put("started_at", started.toString());
        s.put("uptime_seconds", Math.max(0, now.getEpochSecond() - started.getEpochSecond()));
        s.put("debug_mode", debug);
        s.put("jwt_enabled", jwtEnabled);
        s.put("requests_in_flight", pipeline.inFlight());
        s.put("requests_handled", pipeline.handled());
        s.put("routes", routes.stream().map(r -> r.method() + " " + r.path()).toList());
        s.put("rate_limit_buckets", cluster.localBuckets());
        s.put("rate_limits", cluster.shared() ? cluster.degraded().map(p -> "per replica (Redis failing: " + p + ")")
                .orElse("shared (Redis)") : "in-process");
        s.put("api_keys_active", apiKeys.store().list().stream().filter(k -> !k.revoked() && !k.expired(now)).count());
        s.put("jvm", Map.of(
                "heap_used_bytes", rt.totalMemory() - rt.freeMemory(),
                "heap_max_bytes", rt.maxMemory(),
                "threads", ManagementFactory.getThreadMXBean().getThreadCount(),
                "processors", rt.availableProcessors()));
        return s;
    }
}
