package io.sigil.config;

import io.sigil.config.ConfigKey.Secrecy;
import io.sigil.config.ValueType.Bool;
import io.sigil.config.ValueType.ByteSize;
import io.sigil.config.ValueType.Choice;
import io.sigil.config.ValueType.Decimal;
import io.sigil.config.ValueType.FilePath;
import io.sigil.config.ValueType.Int;
import io.sigil.config.ValueType.OrUnset;
import io.sigil.config.ValueType.McpServerList;
import io.sigil.config.ValueType.Seconds;
import io.sigil.config.ValueType.Text;
import io.sigil.config.ValueType.TextList;
import io.sigil.config.ValueType.Url;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every configuration key Sigil knows: the deployment guide's section 6 and .env block (2.4, 5.2) and
 * sigil-design.md section 2, plus the keys Sigil adds (LLM retries and base URL, storage backend, log rotation).
 * The loader, {@code sigil config show}, {@code .env.example} and docs/configuration.md are all driven from here.
 */
public final class ConfigCatalogue {

    private static final List<ConfigKey> KEYS = List.of(
            key("environment", new Choice(List.of("development", "staging", "production", "test")),
                    s -> s.environment().name().toLowerCase(Locale.ROOT),
                    "Deployment environment; selects config/<environment>.yaml. production refuses debug mode and a missing or short JWT secret."),
            key("debug", new Bool(), Settings::debug,
                    "Debug mode: library logs at DEBUG, stack traces on errors. Refused in production."),

            key("features.memory", new Bool(), s -> s.features().memory(), "Enable the memory system.", "SIGIL_USE_MEMORY"),
            key("features.planning", new Bool(), s -> s.features().planning(), "Enable the planning system.", "SIGIL_USE_PLANNING"),
            key("features.contracts", new Bool(), s -> s.features().contracts(), "Enable the contracts system.", "SIGIL_USE_CONTRACTS"),
            key("features.evolution", new Bool(), s -> s.features().evolution(), "Enable the evolution system.", "SIGIL_USE_EVOLUTION"),
            key("features.routing", new Bool(), s -> s.features().routing(), "Enable the routing system.", "SIGIL_USE_ROUTING"),

            key("llm.provider", new Choice(List.of("anthropic", "openai", "ollama", "test")), s -> s.llm().provider(),
                    "LLM provider used when llm.model has no provider prefix."),
            key("llm.model", new Text(false), s -> s.llm().model(),
                    "Model identifier, optionally prefixed with its provider (anthropic:..., openai:..., ollama:llama3, test)."),
            key("llm.temperature", new OrUnset(new Decimal(0, 2)), s -> s.llm().temperature(),
                    "Generation temperature; empty: not sent, the provider's default applies."),
            key("llm.max_tokens", new OrUnset(new Int(1, 1_000_000)), s -> s.llm().maxTokens() == null ? null : (long) s.llm().maxTokens(),
                    "Maximum output tokens per call; empty: not sent (Anthropic, which requires it: 4096)."),
            key("llm.timeout", new Seconds(1, 3600), s -> s.llm().timeout(), "Timeout of one model call (seconds, or 90s, 5m)."),
            key("llm.max_retries", new Int(0, 10), s -> (long) s.llm().maxRetries(),
                    "Retries of a failed model call (429, 5xx, timeouts) with exponential backoff."),
            key("llm.base_url", new Url(List.of("http", "https")), s -> s.llm().baseUrl(),
                    "Base URL of the provider's API (Ollama, vLLM, LM Studio, a proxy); empty: the provider's own."),
            key("llm.anthropic_base_url", new Url(List.of("http", "https")), s -> s.llm().anthropicBaseUrl(),
                    "Base URL of the Anthropic API when llm.base_url is empty (the SDK's own variable).", "ANTHROPIC_BASE_URL"),
            key("llm.openai_base_url", new Url(List.of("http", "https")), s -> s.llm().openaiBaseUrl(),
                    "Base URL of the OpenAI API when llm.base_url is empty (the SDK's own variable).", "OPENAI_BASE_URL"),
            secret("llm.anthropic_api_key", s -> s.llm().anthropicApiKey(), "Anthropic API key.", "ANTHROPIC_API_KEY"),
            secret("llm.openai_api_key", s -> s.llm().openaiApiKey(), "OpenAI (or compatible server) API key.", "OPENAI_API_KEY"),

            key("memory.data_dir", new FilePath(false), s -> s.memory().dataDir(), "Directory of the embedded memory store."),
            key("memory.embedding_model", new Text(false), s -> s.memory().embeddingModel(),
                    "Embedding model; e5-small-v2-q (default), all-minilm-l6-v2-q, all-minilm-l6-v2 and "
                            + "bge-small-en-v1.5-q run locally, others go to memory.embedding_base_url."),
            key("memory.embedding_base_url", new Url(List.of("http", "https")), s -> s.memory().embeddingBaseUrl(),
                    "Base URL of an OpenAI-compatible embeddings API; empty: local embeddings."),
            key("memory.retrieval_k", new Int(1, 100), s -> (long) s.memory().retrievalK(), "Memories retrieved per query."),
            key("memory.hybrid_threshold", new Decimal(0, 1), s -> s.memory().hybridThreshold(),
                    "Hybrid retrieval escalates to LLM ranking when search confidence is below this."),
            key("memory.temporal_boost", new Decimal(0, 1), s -> s.memory().temporalBoost(),
                    "Weight of rag's boost for memories stored inside the span of time a question names (\"in May\", "
                            + "\"last week\", \"before March\"); 0: off. 0.3 was chosen by cross-validation (docs/memory.md, \"Time\")."),
            key("memory.temporal_anchors", new Bool(), s -> s.memory().temporalAnchors(),
                    "Whether that span may be named by an event (\"before her trip to Porto\"): found by one keyword "
                            + "search of the scope, only for questions that name one. Needs memory.temporal_boost > 0."),
            key("memory.consolidation_threshold", new Int(1, 1_000_000), s -> (long) s.memory().consolidationThreshold(),
                    "New items in a category before its summary is consolidated."),
            key("memory.slow_retrieval_ms", new Int(0, 3_600_000), s -> (long) s.memory().slowRetrievalMs(),
                    "A memory recall slower than this many milliseconds is logged as a warning"
                            + " (\"Memory retrieval took N ms (threshold: T ms)\")."),
            key("memory.index_refresh_ms", new Int(0, 60_000), s -> (long) s.memory().indexRefreshMs(),
                    "Milliseconds a memory write may take to become searchable: writes are durable at once and "
                            + "indexed in batches in the background (0: index each as soon as possible)."),

            key("contracts.default_max_retries", new Int(0, 10), s -> (long) s.contracts().defaultMaxRetries(),
                    "Retries of a contract that does not say.", "SIGIL_CONTRACT_DEFAULT_MAX_RETRIES"),
            key("contracts.default_strategy", new Choice(List.of("retry", "fallback", "fail")),
                    s -> s.contracts().defaultStrategy(), "Failure strategy of a contract that does not say.",
                    "SIGIL_CONTRACT_DEFAULT_STRATEGY"),
            key("contracts.max_total_tokens", new Int(1, 100_000_000), s -> s.contracts().maxTotalTokens(),
                    "Token budget of one contract run, retries included.", "SIGIL_CONTRACT_MAX_TOTAL_TOKENS"),
            key("contracts.dir", new FilePath(false), s -> s.contracts().dir(), "Directory of contract definitions.",
                    "SIGIL_CONTRACT_DIR"),

            key("state.data_dir", new FilePath(false), s -> s.state().dataDir(), "Directory of the embedded event store."),
            key("state.max_events_per_session", new Int(1, 100_000_000), s -> (long) s.state().maxEventsPerSession(),
                    "Events one session may hold."),
            key("state.backend", new Choice(List.of("file", "postgres")), s -> s.state().backend(),
                    "Event store: file (embedded, in state.data_dir) or postgres (services.database_url)."),

            key("api.host", new Text(false), s -> s.api().host(), "API bind host."),
            key("api.port", new Int(0, 65535), s -> (long) s.api().port(), "API bind port (0: any free port)."),
            key("api.workers", new Int(1, 1024), s -> (long) s.api().workers(), "Ignored (a warning when set to another value): every request runs on its own virtual thread."),
            key("api.debug", new Bool(), s -> s.api().debug(), "Serve /debug/config and /debug/state without admin. Refused in production."),
            key("api.cors_origins", new TextList(), s -> s.api().corsOrigins(), "Origins allowed by CORS."),
            key("api.max_body_bytes", new ByteSize(1024, 1024L * 1024 * 1024), s -> s.api().maxBodyBytes(),
                    "Largest request body accepted."),
            key("api.shutdown_grace_seconds", new Seconds(0, 3600), s -> s.api().shutdownGrace(),
                    "On shutdown, how long runs in flight (JSON, SSE, WebSocket) may take to finish before they are cancelled; new runs get 503 meanwhile."),
            key("api.max_connections", new Int(1, 1_000_000), s -> (long) s.api().maxConnections(),
                    "Open connections in total; at the limit the server stops accepting until one closes. A warning at start-up says when the file-descriptor limit is below what this needs."),
            key("api.max_connections_per_client", new Int(1, 1_000_000), s -> (long) s.api().maxConnectionsPerClient(),
                    "Open connections from one client address; more are closed as they are accepted."),
            key("api.request_header_timeout_seconds", new Seconds(1, 3600), s -> s.api().requestHeaderTimeout(),
                    "How long the rest of a request head may take once its first bytes arrived; slower connections are closed (a connection that sends nothing is left to the idle timeout)."),
            key("api.min_request_bytes_per_second", new Int(0, 1_000_000_000), s -> s.api().minRequestBytesPerSecond(),
                    "A request body arriving slower than this on average since the request's first byte is refused (408); 0 (default) turns the check off, because it also refuses a small body that a busy server reads late; behind nginx, client_body_timeout covers slow bodies."),
            key("api.trusted_proxies", new TextList(), s -> s.api().trustedProxies(),
                    "Addresses or CIDR ranges of the reverse proxies in front of Sigil (nginx); only a request from one of them may name its client in X-Forwarded-For (per-client rate limits, logs). Empty: the TCP peer is the client."),

            secret("security.jwt_secret", s -> s.security().jwtSecret(),
                    "JWT signing secret; at least 32 characters, required in production.", "SIGIL_JWT_SECRET"),
            key("security.jwt_algorithm", new Choice(List.of("HS256", "HS384", "HS512")), s -> s.security().jwtAlgorithm(),
                    "JWT signing algorithm.", "SIGIL_JWT_ALGORITHM"),
            key("security.jwt_expire_minutes", new Int(1, 525_600), s -> (long) s.security().jwtExpireMinutes(),
                    "Lifetime of issued tokens in minutes.", "SIGIL_JWT_EXPIRE_MINUTES"),
            key("security.jwt_issuer", new Text(true), s -> s.security().jwtIssuer(),
                    "Required iss claim; empty: not checked.", "SIGIL_JWT_ISSUER"),
            key("security.jwt_audience", new Text(true), s -> s.security().jwtAudience(),
                    "Required aud claim; empty: not checked.", "SIGIL_JWT_AUDIENCE"),
            key("security.rate_limit_per_minute", new Int(1, 1_000_000), s -> (long) s.security().rateLimitPerMinute(),
                    "Requests per minute per API key or client IP.", "SIGIL_RATE_LIMIT_PER_MINUTE"),
            key("security.injection_mode", new Choice(List.of("flag", "block", "sanitize")), s -> s.security().injectionMode(),
                    "What to do with prompt injection in user input.", "SIGIL_INJECTION_MODE"),
            key("guard.detector", new Choice(List.of("learned", "rules")), s -> s.security().injectionDetector(),
                    "Injection detector: learned (rules plus a head over a local sentence embedding: memory's e5 when memory is on and runs e5, else MiniLM; rules alone when no local model can run) or rules."),
            key("guard.head", new FilePath(true), s -> s.security().injectionHead(),
                    "Head file of the learned detector, written by 'sigil guard train'; empty: the built-in head."),

            key("logging.level", new Choice(List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR")), s -> s.logging().level(),
                    "Log level of Sigil's own loggers (libraries stay at WARN unless debug).", "SIGIL_LOG_LEVEL"),
            key("logging.format", new Choice(List.of("json", "pretty")), s -> s.logging().format(),
                    "Log format on stderr: json lines or pretty text.", "SIGIL_LOG_FORMAT"),
            key("logging.file", new FilePath(true), s -> s.logging().file(),
                    "Also write JSON lines to this file, rolled daily and by size; empty: stderr only.", "SIGIL_LOG_FILE"),
            key("logging.max_file_size", new ByteSize(1024 * 1024, 10L * 1024 * 1024 * 1024), s -> s.logging().maxFileSizeBytes(),
                    "Roll the log file when it reaches this size.", "SIGIL_LOG_MAX_FILE_SIZE"),
            key("logging.max_history", new Int(1, 3650), s -> (long) s.logging().maxHistoryDays(),
                    "Days of rolled log files kept.", "SIGIL_LOG_MAX_HISTORY"),

            key("telemetry.enabled", new Bool(), s -> s.telemetry().enabled(),
                    "Export traces over OTLP (OpenTelemetry GenAI spans); off: no exporter is created and spans cost nothing."),
            key("telemetry.endpoint", new Url(List.of("http", "https")), s -> s.telemetry().endpoint(),
                    "OTLP collector endpoint, e.g. http://otel-collector:4318 (http/protobuf) or :4317 (grpc); empty: the protocol's localhost default."),
            key("telemetry.protocol", new Choice(List.of("http/protobuf", "grpc")), s -> s.telemetry().protocol(),
                    "OTLP transport: http/protobuf or grpc."),
            key("telemetry.sample_rate", new Decimal(0, 1), s -> s.telemetry().sampleRate(),
                    "Fraction of new traces recorded (0 to 1); a request carrying a traceparent keeps its caller's decision."),

            key("routing.mode", new Choice(List.of("keyword", "llm")), s -> s.routing().mode(),
                    "Intent routing: keyword weights, or llm (the model picks; keyword router as fallback)."),

            key("agents.dir", new FilePath(false), s -> s.agents().dir(), "Directory of agent definitions."),

            secret("tools.tavily_api_key", s -> s.tools().tavilyApiKey(), "Tavily key (web search tool).", "TAVILY_API_KEY"),
            secret("tools.elevenlabs_api_key", s -> s.tools().elevenlabsApiKey(), "ElevenLabs key (voice tool).", "ELEVENLABS_API_KEY"),
            key("tools.twilio_account_sid", new Text(true), s -> s.tools().twilioAccountSid(),
                    "Twilio account SID (communication tool).", "TWILIO_ACCOUNT_SID"),
            secret("tools.twilio_auth_token", s -> s.tools().twilioAuthToken(), "Twilio auth token.", "TWILIO_AUTH_TOKEN"),
            secret("tools.google_calendar_credentials", s -> s.tools().googleCalendarCredentials(),
                    "Google Calendar credentials (calendar tool).", "GOOGLE_CALENDAR_CREDENTIALS"),
            secret("tools.hubspot_api_key", s -> s.tools().hubspotApiKey(), "HubSpot key (CRM tool).", "HUBSPOT_API_KEY"),
            key("tools.tavily_base_url", new Url(List.of("http", "https")), s -> s.tools().endpoints().tavilyBaseUrl(),
                    "Base URL of the Tavily API."),
            key("tools.elevenlabs_base_url", new Url(List.of("http", "https")),
                    s -> s.tools().endpoints().elevenlabsBaseUrl(), "Base URL of the ElevenLabs API."),
            key("tools.elevenlabs_voice_id", new Text(false), s -> s.tools().endpoints().elevenlabsVoiceId(),
                    "ElevenLabs voice used when a call names none."),
            key("tools.twilio_base_url", new Url(List.of("http", "https")), s -> s.tools().endpoints().twilioBaseUrl(),
                    "Base URL of the Twilio REST API."),
            key("tools.twilio_from_number", new Text(true), s -> s.tools().endpoints().twilioFromNumber(),
                    "Twilio number (E.164) SMS and calls are sent from; required with the Twilio keys.", "TWILIO_FROM_NUMBER"),
            key("tools.google_calendar_base_url", new Url(List.of("http", "https")),
                    s -> s.tools().endpoints().googleCalendarBaseUrl(), "Base URL of the Google Calendar API v3."),
            key("tools.google_calendar_id", new Text(false), s -> s.tools().endpoints().googleCalendarId(),
                    "Calendar the calendar tools use when a call names none.", "GOOGLE_CALENDAR_ID"),
            key("tools.hubspot_base_url", new Url(List.of("http", "https")), s -> s.tools().endpoints().hubspotBaseUrl(),
                    "Base URL of the HubSpot API."),
            key("tools.audio_dir", new FilePath(false), s -> s.tools().endpoints().audioDir(),
                    "Directory text-to-speech audio is stored in."),
            key("tools.timeout", new Seconds(1, 600), s -> s.tools().endpoints().timeout(),
                    "Timeout of one service call (seconds, or 30s, 2m)."),
            key("tools.approval", new Text(true), s -> s.tools().approval().tools(),
                    "Which tool calls wait for a human decision: name=always|side_effects|never pairs, comma separated"
                            + " (* for every tool); blank: each tool's default (side_effects).", "SIGIL_TOOL_APPROVAL"),
            key("tools.approval_expiry", new Seconds(1, 30 * 24 * 3600), s -> s.tools().approval().expiry(),
                    "How long a held tool call waits for a decision before it expires and its run ends.",
                    "SIGIL_APPROVAL_EXPIRY"),

            new ConfigKey("mcp.servers", new McpServerList(), Secrecy.SECRET,
                    "MCP servers whose tools agents may call: a YAML list (or JSON in the environment) of {name, command, args, env} (stdio) or {name, url, headers} (Streamable HTTP).",
                    List.of(), s -> s.tools().mcp().servers()),
            key("mcp.timeout", new Seconds(1, 3600), s -> s.tools().mcp().timeout(),
                    "Timeout of one request to an MCP server (initialise, list tools, call a tool)."),
            key("mcp.max_retries", new Int(0, 20), s -> (long) s.tools().mcp().maxRetries(),
                    "Reconnection attempts when an MCP server is found dead, before it is reported down."),
            key("mcp.retry_delay", new Seconds(0, 600), s -> s.tools().mcp().retryDelay(),
                    "First delay before reconnecting to an MCP server; doubled after each attempt."),
            key("mcp.server_enabled", new Bool(), s -> s.tools().mcp().serverEnabled(),
                    "Serve Sigil's agents as MCP tools at /mcp (Streamable HTTP, same auth and scopes as the API)."),

            new ConfigKey("services.database_url", new Url(List.of("postgresql", "postgres", "jdbc:postgresql")),
                    Secrecy.CREDENTIALS_IN_URL,
                    "PostgreSQL for shared state (state.backend=postgres): postgresql://user:pass@host:5432/db or a JDBC URL.",
                    List.of("DATABASE_URL"), s -> s.services().databaseUrl()),
            key("database.pool_size", new Int(1, 1000), s -> (long) s.services().database().poolSize(),
                    "PostgreSQL connections the pool keeps open."),
            key("database.max_overflow", new Int(0, 1000), s -> (long) s.services().database().maxOverflow(),
                    "Extra PostgreSQL connections the pool may open under load (closed again when idle)."),
            key("database.pool_timeout", new Seconds(1, 3600), s -> s.services().database().poolTimeout(),
                    "How long a request waits for a free PostgreSQL connection before it fails with 503."),
            key("database.pool_recycle", new Seconds(30, 86_400), s -> s.services().database().poolRecycle(),
                    "Maximum lifetime of a PostgreSQL connection; older ones are replaced."),
            key("database.migrate_on_start", new Bool(), s -> s.services().database().migrateOnStart(),
                    "Apply pending schema migrations when the server starts (else: 'sigil db migrate')."),
            key("database.ssl_mode", new Choice(List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")),
                    s -> s.services().database().sslMode(),
                    "TLS to PostgreSQL (the JDBC driver's sslmode); a sslmode in the URL wins."),
            key("database.ssl_root_cert", new FilePath(true), s -> s.services().database().sslRootCert(),
                    "CA certificate (PEM) to verify the PostgreSQL server with (verify-ca, verify-full)."),
            key("database.memory_changes_retention", new Seconds(60, 3_650L * 86_400),
                    s -> s.services().database().memoryChangesRetention(),
                    "Memory change log: changes older than this may be trimmed (memory indexes further behind reload)."),
            key("database.memory_changes_keep", new Int(1_000, Integer.MAX_VALUE),
                    s -> s.services().database().memoryChangesKeep(),
                    "Memory change log: the newest changes kept whatever their age."),
            new ConfigKey("services.redis_url", new Url(List.of("redis", "rediss")), Secrecy.CREDENTIALS_IN_URL,
                    "Redis for shared caches and rate limits; empty: in-process.", List.of("REDIS_URL"),
                    s -> s.services().redisUrl()));

    /** Keys the guide's examples use that have no effect in Sigil: accepted with this warning, never an error. */
    private static final Map<String, String> IGNORED = Map.of(
            "api.reload", "has no effect in Sigil (the server does not hot-reload); remove it");

    /**
     * SIGIL_* variables that are not settings but are read by the launcher; the loader does not warn about them.
     */
    public static final Set<String> LAUNCHER_VARIABLES = Set.of("SIGIL_JAVA_OPTS", "SIGIL_HOME");

    private static final Map<String, ConfigKey> BY_KEY = index(KEYS, ConfigKey::key);
    private static final Map<String, ConfigKey> BY_ENV = indexEnv();

    private ConfigCatalogue() { }

    public static List<ConfigKey> all() { return KEYS; }

    public static Optional<ConfigKey> byKey(String key) { return Optional.ofNullable(BY_KEY.get(key)); }

    /** The key an environment variable sets, by any of its names. */
    public static Optional<ConfigKey> byEnvName(String name) { return Optional.ofNullable(BY_ENV.get(name)); }

    /** Why a known-but-ignored key is ignored, if {@code key} is one. */
    public static Optional<String> ignoredReason(String key) { return Optional.ofNullable(IGNORED.get(key)); }

    /** The closest known key to a mistyped one (edit distance at most a third of its length), for hints. */
    public static Optional<String> suggest(String unknown) {
        String u = unknown.toLowerCase(Locale.ROOT);
        return KEYS.stream().map(ConfigKey::key)
                .min(Comparator.comparingInt(k -> distance(u, k)))
                .filter(k -> distance(u, k) <= Math.max(2, k.length() / 3));
    }

    /** The closest known environment name to a mistyped SIGIL_* one. */
    public static Optional<String> suggestEnv(String unknown) {
        return BY_ENV.keySet().stream()
                .min(Comparator.comparingInt((String n) -> distance(unknown, n)).thenComparing(n -> n))
                .filter(n -> distance(unknown, n) <= Math.max(2, n.length() / 4));
    }

    private static ConfigKey key(String key, ValueType type, Function<Settings, Object> reader, String description,
                                 String... aliases) {
        return new ConfigKey(key, type, Secrecy.PUBLIC, description, List.of(aliases), reader);
    }

    private static ConfigKey secret(String key, Function<Settings, Object> reader, String description, String... aliases) {
        return new ConfigKey(key, new Text(true), Secrecy.SECRET, description, List.of(aliases), reader);
    }

    private static Map<String, ConfigKey> index(List<ConfigKey> keys, Function<ConfigKey, String> name) {
        var map = new LinkedHashMap<String, ConfigKey>();
        for (ConfigKey k : keys) {
            if (map.put(name.apply(k), k) != null) throw new IllegalStateException("duplicate key " + name.apply(k));
        }
        return Map.copyOf(map);
    }

    private static Map<String, ConfigKey> indexEnv() {
        var map = new LinkedHashMap<String, ConfigKey>();
        for (ConfigKey k : KEYS) {
            for (String n : k.envNames()) {
                ConfigKey before = map.put(n, k);
                if (before != null) {
                    throw new IllegalStateException("environment name " + n + " used by " + before.key() + " and " + k.key());
                }
            }
        }
        return Map.copyOf(map);
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** Used by tests and docs: the keys grouped by section, in catalogue order. */
    public static Map<String, List<ConfigKey>> bySection() {
        var map = new LinkedHashMap<String, List<ConfigKey>>();
        for (ConfigKey k : KEYS) map.computeIfAbsent(k.section(), s -> new ArrayList<>()).add(k);
        return map;
    }
}
