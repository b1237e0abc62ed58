package io.sigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Sigil's effective settings: typed, immutable, one nested record per section of the deployment guide
 * (section 6 and the .env block of 2.4) and sigil-design.md section 2. Built by the configuration loader from
 * command line, environment, .env, config/&lt;environment&gt;.yaml, config/default.yaml and these defaults.
 *
 * <p>Secrets are plain strings here (components need them); anything that shows settings masks them.
 */
public record Settings(
        Environment environment,
        boolean debug,
        Features features,
        Llm llm,
        Memory memory,
        Contracts contracts,
        State state,
        Api api,
        Security security,
        Logging logging,
        Telemetry telemetry,
        Routing routing,
        Agents agents,
        Tools tools,
        Services services) {

    public enum Environment { DEVELOPMENT, STAGING, PRODUCTION, TEST }

    /** The SIGIL_USE_* feature flags. */
    public record Features(boolean memory, boolean planning, boolean contracts, boolean evolution, boolean routing) {
        public static final Features DEFAULTS = new Features(false, false, false, false, true);
    }

    /**
     * The model layer. {@code model} may carry a provider prefix ({@code anthropic:claude-...}, {@code openai:gpt-...},
     * {@code ollama:llama3}, {@code test}); without one, {@code provider} applies. A null {@code temperature} or
     * {@code maxTokens} is not configured: requests leave it out and the provider's default applies.
     */
    public record Llm(String provider, String model, Double temperature, Integer maxTokens, Duration timeout,
                      int maxRetries, String baseUrl, String anthropicApiKey, String openaiApiKey,
                      String anthropicBaseUrl, String openaiBaseUrl) {
        public static final Llm DEFAULTS = new Llm("anthropic", "claude-sonnet-4-20250514", null, null,
                Duration.ofSeconds(60), 3, null, null, null, null, null);

        /** LLM settings built fluently from {@link #DEFAULTS}. */
        public static LlmSettingsBuilder builder() { return DEFAULTS.toBuilder(); }

        /** A builder starting from these settings. */
        public LlmSettingsBuilder toBuilder() { return new LlmSettingsBuilder(this); }

        @Override
        public String toString() {
            return "Llm[provider=" + provider + ", model=" + model + ", temperature=" + temperature + ", maxTokens="
                    + maxTokens + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", baseUrl=" + baseUrl
                    + ", anthropicApiKey=" + (anthropicApiKey == null ? null : "***") + ", openaiApiKey="
                    + (openaiApiKey == null ? null : "***") + ", anthropicBaseUrl=" + anthropicBaseUrl
                    + ", openaiBaseUrl=" + openaiBaseUrl + "]";
        }
    }

    /** indexRefreshMs: how long a memory write may take to become searchable (the indexer's batching window);
     *  slowRetrievalMs: a slower recall is logged as a warning; temporalBoost: rag's boost for results inside the span
     *  of time a question names (0: off); temporalAnchors: whether that span may be an event ("before the trip"),
     *  found by one keyword search. */
    public record Memory(Path dataDir, String embeddingModel, String embeddingBaseUrl, int retrievalK, double hybridThreshold,
                         int consolidationThreshold, int indexRefreshMs, int slowRetrievalMs, double temporalBoost,
                         boolean temporalAnchors) {
        public static final int DEFAULT_SLOW_RETRIEVAL_MS = 2000;
        public static final Memory DEFAULTS = new Memory(Path.of("./data/memory"), "e5-small-v2-q", null, 5, 0.7, 100,
                100, DEFAULT_SLOW_RETRIEVAL_MS, 0.3, true); // temporal boost 0.3 and anchors: chosen by CV (docs/memory.md, "Time")

        public Memory(Path dataDir, String embeddingModel, String embeddingBaseUrl, int retrievalK, double hybridThreshold,
                      int consolidationThreshold, int indexRefreshMs) {
            this(dataDir, embeddingModel, embeddingBaseUrl, retrievalK, hybridThreshold, consolidationThreshold,
                    indexRefreshMs, DEFAULT_SLOW_RETRIEVAL_MS, DEFAULTS.temporalBoost(), DEFAULTS.temporalAnchors());
        }

        /** The model these settings name: {@code embedding_model} without surrounding blanks, the default when unset. */
        public String embeddingModelName() {
            return embeddingModel == null ? DEFAULTS.embeddingModel() : embeddingModel.strip();
        }

        public Memory withEmbeddingModel(String model) { return with(dataDir, model, embeddingBaseUrl); }
        public Memory withDataDir(Path dir) { return with(dir, embeddingModel, embeddingBaseUrl); }

        /** These settings with another store directory, model and embeddings endpoint. */
        public Memory with(Path dir, String model, String baseUrl) {
            return new Memory(dir, model, baseUrl, retrievalK, hybridThreshold, consolidationThreshold, indexRefreshMs,
                    slowRetrievalMs, temporalBoost, temporalAnchors);
        }
    }

    public record Contracts(int defaultMaxRetries, String defaultStrategy, long maxTotalTokens, Path dir) {
        public static final Contracts DEFAULTS = new Contracts(2, "retry", 256_000, Path.of("./contracts"));
    }

    /** Event store. {@code backend} is {@code file} (embedded default) or {@code postgres}. */
    public record State(Path dataDir, int maxEventsPerSession, String backend) {
        public static final State DEFAULTS = new State(Path.of("./data/state"), 10_000, "file");
    }

    /**
     * @param shutdownGrace            how long runs in flight may take to finish once the server begins to stop
     * @param maxConnections           open connections in total (at the limit the server stops accepting)
     * @param maxConnectionsPerClient  open connections from one client address
     * @param requestHeaderTimeout     how long a connection may take to send a complete request head
     * @param minRequestBytesPerSecond slower request bodies are refused (408)
     */
    public record Api(String host, int port, int workers, boolean debug, List<String> corsOrigins,
                      long maxBodyBytes, Duration shutdownGrace, int maxConnections, int maxConnectionsPerClient,
                      Duration requestHeaderTimeout, long minRequestBytesPerSecond, List<String> trustedProxies) {
        public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

        public Api {
            trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        }

        /** Without trusted proxies: X-Forwarded-For is never believed. */
        public Api(String host, int port, int workers, boolean debug, List<String> corsOrigins, long maxBodyBytes,
                   Duration shutdownGrace, int maxConnections, int maxConnectionsPerClient, Duration requestHeaderTimeout,
                   long minRequestBytesPerSecond) {
            this(host, port, workers, debug, corsOrigins, maxBodyBytes, shutdownGrace, maxConnections,
                    maxConnectionsPerClient, requestHeaderTimeout, minRequestBytesPerSecond, List.of());
        }
        public static final Api DEFAULTS = new Api("0.0.0.0", 8000, 1, false, List.of("http://localhost:3000"),
                1_048_576, DEFAULT_SHUTDOWN_GRACE);

        public Api(String host, int port, int workers, boolean debug, List<String> corsOrigins, long maxBodyBytes) {
            this(host, port, workers, debug, corsOrigins, maxBodyBytes, DEFAULT_SHUTDOWN_GRACE);
        }

        public Api(String host, int port, int workers, boolean debug, List<String> corsOrigins, long maxBodyBytes,
                   Duration shutdownGrace) {
            this(host, port, workers, debug, corsOrigins, maxBodyBytes, shutdownGrace, 10_000, 512,
                    Duration.ofSeconds(10), 0);
        }
    }

    /**
     * {@code injectionDetector} ({@code guard.detector}) is {@code learned} (the default: the rules plus a head over
     * the memory embedder's vectors) or {@code rules}; {@code injectionHead} ({@code guard.head}) a head file written
     * by {@code sigil guard train}, null for the built-in one.
     */
    public record Security(String jwtSecret, String jwtAlgorithm, int jwtExpireMinutes, String jwtIssuer,
                           String jwtAudience, int rateLimitPerMinute, String injectionMode, String injectionDetector,
                           Path injectionHead) {
        public static final Security DEFAULTS = new Security(null, "HS256", 60, null, null, 60, "flag", "learned", null);

        public Security(String jwtSecret, String jwtAlgorithm, int jwtExpireMinutes, String jwtIssuer,
                        String jwtAudience, int rateLimitPerMinute, String injectionMode) {
            this(jwtSecret, jwtAlgorithm, jwtExpireMinutes, jwtIssuer, jwtAudience, rateLimitPerMinute, injectionMode,
                    "learned", null);
        }
    }

    /**
     * {@code format} ({@code json} or {@code pretty}) applies to stderr; {@code file} null means stderr only,
     * otherwise JSON lines rolled daily and at {@code maxFileSizeBytes}, keeping {@code maxHistoryDays}.
     */
    public record Logging(String level, String format, Path file, long maxFileSizeBytes, int maxHistoryDays) {
        public static final Logging DEFAULTS = new Logging("INFO", "pretty", null, 10L * 1024 * 1024, 14);

        /** Level, format and file with the default rotation. */
        public Logging(String level, String format, Path file) {
            this(level, format, file, 10L * 1024 * 1024, 14);
        }
    }

    /**
     * @param protocol   {@code http/protobuf} (OTLP over HTTP, port 4318) or {@code grpc} (port 4317)
     * @param sampleRate fraction of new traces recorded (0 to 1); a trace started upstream keeps its own decision
     */
    public record Telemetry(boolean enabled, String endpoint, String protocol, double sampleRate) {
        public static final String HTTP_PROTOBUF = "http/protobuf";
        public static final String GRPC = "grpc";
        public static final Telemetry DEFAULTS = new Telemetry(false, null, HTTP_PROTOBUF, 1.0);
    }

    /** {@code mode} is {@code keyword} or {@code llm} (the model picks the intent, keyword router as fallback). */
    public record Routing(String mode) {
        public static final Routing DEFAULTS = new Routing("keyword");
    }

    public record Agents(Path dir) {
        public static final Agents DEFAULTS = new Agents(Path.of("./agents"));
    }

    /**
     * The optional tool integrations: the five services' keys (a service without its key is disabled), where they
     * are reached, and the MCP servers to connect to.
     */
    public record Tools(String tavilyApiKey, String elevenlabsApiKey, String twilioAccountSid, String twilioAuthToken,
                        String googleCalendarCredentials, String hubspotApiKey, ServiceEndpoints endpoints, Mcp mcp,
                        Approval approval) {
        public static final Tools DEFAULTS = new Tools(null, null, null, null, null, null, ServiceEndpoints.DEFAULTS,
                Mcp.DEFAULTS);

        public Tools {
            if (approval == null) approval = Approval.DEFAULTS;
        }

        /** With the default approval settings. */
        public Tools(String tavilyApiKey, String elevenlabsApiKey, String twilioAccountSid, String twilioAuthToken,
                     String googleCalendarCredentials, String hubspotApiKey, ServiceEndpoints endpoints, Mcp mcp) {
            this(tavilyApiKey, elevenlabsApiKey, twilioAccountSid, twilioAuthToken, googleCalendarCredentials,
                    hubspotApiKey, endpoints, mcp, Approval.DEFAULTS);
        }

        public Tools withApproval(Approval approval) {
            return new Tools(tavilyApiKey, elevenlabsApiKey, twilioAccountSid, twilioAuthToken,
                    googleCalendarCredentials, hubspotApiKey, endpoints, mcp, approval);
        }

        /** The keys only, with the vendors' own endpoints and no MCP servers. */
        public Tools(String tavilyApiKey, String elevenlabsApiKey, String twilioAccountSid, String twilioAuthToken,
                     String googleCalendarCredentials, String hubspotApiKey) {
            this(tavilyApiKey, elevenlabsApiKey, twilioAccountSid, twilioAuthToken, googleCalendarCredentials,
                    hubspotApiKey, ServiceEndpoints.DEFAULTS, Mcp.DEFAULTS);
        }

        public Tools withMcp(Mcp mcp) {
            return new Tools(tavilyApiKey, elevenlabsApiKey, twilioAccountSid, twilioAuthToken,
                    googleCalendarCredentials, hubspotApiKey, endpoints, mcp, approval);
        }

        public Tools withEndpoints(ServiceEndpoints endpoints) {
            return new Tools(tavilyApiKey, elevenlabsApiKey, twilioAccountSid, twilioAuthToken,
                    googleCalendarCredentials, hubspotApiKey, endpoints, mcp, approval);
        }
    }

    /**
     * Human approval of tool calls (docs/approvals.md).
     *
     * @param tools  per-tool policy overrides, {@code name=always|side_effects|never} pairs separated by commas
     *               ({@code *} for every tool); blank: each tool's own policy
     * @param expiry how long a held call waits for a decision before it expires and its run ends
     */
    public record Approval(String tools, Duration expiry) {
        public static final Approval DEFAULTS = new Approval(null, Duration.ofHours(24));
    }

    /**
     * Where the services are reached (base URLs are configurable so tests and proxies can stand in for the vendors)
     * and their per-service settings.
     *
     * @param audioDir where text-to-speech audio is stored
     * @param timeout  one service call
     */
    public record ServiceEndpoints(String tavilyBaseUrl, String elevenlabsBaseUrl, String elevenlabsVoiceId,
                                   String twilioBaseUrl, String twilioFromNumber, String googleCalendarBaseUrl,
                                   String googleCalendarId, String hubspotBaseUrl, Path audioDir, Duration timeout) {
        public static final ServiceEndpoints DEFAULTS = new ServiceEndpoints("https://api.tavily.com",
                "https://api.elevenlabs.io", "21m00Tcm4TlvDq8ikWAM", "https://api.twilio.com", null,
                "https://www.googleapis.com/calendar/v3", "primary", "https://api.hubapi.com", Path.of("./data/audio"),
                Duration.ofSeconds(30));
    }

    /**
     * MCP: the servers Sigil connects to as a client, and whether it serves its own agents at {@code /mcp}.
     *
     * @param timeout    one request to a server (initialisation, listing, a tool call)
     * @param maxRetries reconnection attempts after a server is found dead, before it is reported down
     * @param retryDelay the first reconnection delay, doubled after each attempt
     */
    public record Mcp(List<McpServer> servers, Duration timeout, int maxRetries, Duration retryDelay,
                      boolean serverEnabled) {
        public static final Mcp DEFAULTS = new Mcp(List.of(), Duration.ofSeconds(30), 3, Duration.ofSeconds(1), true);

        public Mcp {
            servers = List.copyOf(servers);
        }
    }

    /**
     * One MCP server: {@code command} (with {@code args} and {@code env}) for stdio, or {@code url} (with
     * {@code headers}) for Streamable HTTP; exactly one of the two is set.
     */
    public record McpServer(String name, String command, List<String> args, java.util.Map<String, String> env,
                            String url, java.util.Map<String, String> headers) {
        public McpServer {
            args = List.copyOf(args);
            env = java.util.Map.copyOf(env);
            headers = java.util.Map.copyOf(headers);
        }

        public boolean stdio() { return command != null; }

        @Override
        public String toString() { // env and headers may hold credentials
            return "McpServer[name=" + name + ", " + (stdio() ? "command=" + command + " " + args : "url=" + url) + "]";
        }
    }

    /** Optional shared services for scaling out (guide 5.2); null means embedded. */
    public record Services(String databaseUrl, String redisUrl, Database database) {
        public static final Services DEFAULTS = new Services(null, null, Database.DEFAULTS);

        public Services(String databaseUrl, String redisUrl) {
            this(databaseUrl, redisUrl, Database.DEFAULTS);
        }
    }

    /**
     * How Sigil uses PostgreSQL (services.database_url): the connection pool of guide 11.3 ({@code poolSize}
     * connections kept, up to {@code maxOverflow} more under load, {@code poolTimeout} to wait for one,
     * connections replaced after {@code poolRecycle}), TLS, and whether the server migrates the schema on start.
     */
    public record Database(int poolSize, int maxOverflow, Duration poolTimeout, Duration poolRecycle,
                           boolean migrateOnStart, String sslMode, Path sslRootCert,
                           Duration memoryChangesRetention, long memoryChangesKeep) {
        public static final Duration MEMORY_CHANGES_RETENTION = Duration.ofDays(7);
        public static final long MEMORY_CHANGES_KEEP = 1_000_000;
        public static final Database DEFAULTS = new Database(20, 10, Duration.ofSeconds(30), Duration.ofSeconds(1800),
                true, "prefer", null);

        /** With the default retention of the memory change log. */
        public Database(int poolSize, int maxOverflow, Duration poolTimeout, Duration poolRecycle,
                        boolean migrateOnStart, String sslMode, Path sslRootCert) {
            this(poolSize, maxOverflow, poolTimeout, poolRecycle, migrateOnStart, sslMode, sslRootCert,
                    MEMORY_CHANGES_RETENTION, MEMORY_CHANGES_KEEP);
        }
    }

    /** These settings with {@code llm} instead of the current LLM settings. */
    public Settings withLlm(Llm llm) {
        return new Settings(environment, debug, features, llm, memory, contracts, state, api, security, logging,
                telemetry, routing, agents, tools, services);
    }

    /** These settings with {@code memory} instead of the current memory settings. */
    public Settings withMemory(Memory memory) {
        return new Settings(environment, debug, features, llm, memory, contracts, state, api, security, logging,
                telemetry, routing, agents, tools, services);
    }

    /** These settings with {@code state} instead of the current state settings. */
    public Settings withState(State state) {
        return new Settings(environment, debug, features, llm, memory, contracts, state, api, security, logging,
                telemetry, routing, agents, tools, services);
    }

    /** These settings with {@code features} instead of the current feature flags. */
    public Settings withFeatures(Features features) {
        return new Settings(environment, debug, features, llm, memory, contracts, state, api, security, logging,
                telemetry, routing, agents, tools, services);
    }

    /** These settings with {@code security} instead of the current security settings. */
    public Settings withSecurity(Security security) {
        return new Settings(environment, debug, features, llm, memory, contracts, state, api, security, logging,
                telemetry, routing, agents, tools, services);
    }

    public static Settings defaults() {
        return new Settings(Environment.DEVELOPMENT, false, Features.DEFAULTS, Llm.DEFAULTS, Memory.DEFAULTS,
                Contracts.DEFAULTS, State.DEFAULTS, Api.DEFAULTS, Security.DEFAULTS, Logging.DEFAULTS,
                Telemetry.DEFAULTS, Routing.DEFAULTS, Agents.DEFAULTS, Tools.DEFAULTS, Services.DEFAULTS);
    }
}
