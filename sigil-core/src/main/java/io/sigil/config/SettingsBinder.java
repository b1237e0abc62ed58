package io.sigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link Settings} from typed values keyed by catalogue key. Written out field by field so that a reader
 * sees exactly which key feeds which component; {@link #unread} lets a test prove no key is left unused.
 */
final class SettingsBinder {
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    SettingsBinder(Map<String, Object> values) {
        this.values = values;
    }

    Settings bind() {
        return new Settings(
                Settings.Environment.valueOf(str("environment").toUpperCase(Locale.ROOT)),
                bool("debug"),
                new Settings.Features(bool("features.memory"), bool("features.planning"), bool("features.contracts"),
                        bool("features.evolution"), bool("features.routing")),
                new Settings.Llm(str("llm.provider"), str("llm.model"), optionalDbl("llm.temperature"), optionalInteger("llm.max_tokens"),
                        (Duration) get("llm.timeout"), integer("llm.max_retries"), str("llm.base_url"),
                        str("llm.anthropic_api_key"), str("llm.openai_api_key"), str("llm.anthropic_base_url"),
                        str("llm.openai_base_url")),
                new Settings.Memory(path("memory.data_dir"), str("memory.embedding_model"),
                        str("memory.embedding_base_url"), integer("memory.retrieval_k"), dbl("memory.hybrid_threshold"),
                        integer("memory.consolidation_threshold"), integer("memory.index_refresh_ms"),
                        integer("memory.slow_retrieval_ms"), dbl("memory.temporal_boost"),
                        bool("memory.temporal_anchors")),
                new Settings.Contracts(integer("contracts.default_max_retries"), str("contracts.default_strategy"),
                        lng("contracts.max_total_tokens"), path("contracts.dir")),
                new Settings.State(path("state.data_dir"), integer("state.max_events_per_session"), str("state.backend")),
                new Settings.Api(str("api.host"), integer("api.port"), integer("api.workers"), bool("api.debug"),
                        list("api.cors_origins"), lng("api.max_body_bytes"),
                        (Duration) get("api.shutdown_grace_seconds"), integer("api.max_connections"),
                        integer("api.max_connections_per_client"), (Duration) get("api.request_header_timeout_seconds"),
                        lng("api.min_request_bytes_per_second"), list("api.trusted_proxies")),
                new Settings.Security(str("security.jwt_secret"), str("security.jwt_algorithm"),
                        integer("security.jwt_expire_minutes"), str("security.jwt_issuer"), str("security.jwt_audience"),
                        integer("security.rate_limit_per_minute"), str("security.injection_mode"),
                        str("guard.detector"), path("guard.head")),
                new Settings.Logging(str("logging.level"), str("logging.format"), path("logging.file"),
                        lng("logging.max_file_size"), integer("logging.max_history")),
                new Settings.Telemetry(bool("telemetry.enabled"), str("telemetry.endpoint"), str("telemetry.protocol"),
                        dbl("telemetry.sample_rate")),
                new Settings.Routing(str("routing.mode")),
                new Settings.Agents(path("agents.dir")),
                new Settings.Tools(str("tools.tavily_api_key"), str("tools.elevenlabs_api_key"),
                        str("tools.twilio_account_sid"), str("tools.twilio_auth_token"),
                        str("tools.google_calendar_credentials"), str("tools.hubspot_api_key"),
                        new Settings.ServiceEndpoints(str("tools.tavily_base_url"), str("tools.elevenlabs_base_url"),
                                str("tools.elevenlabs_voice_id"), str("tools.twilio_base_url"),
                                str("tools.twilio_from_number"), str("tools.google_calendar_base_url"),
                                str("tools.google_calendar_id"), str("tools.hubspot_base_url"), path("tools.audio_dir"),
                                (Duration) get("tools.timeout")),
                        new Settings.Mcp(mcpServers(), (Duration) get("mcp.timeout"), integer("mcp.max_retries"),
                                (Duration) get("mcp.retry_delay"), bool("mcp.server_enabled")),
                        new Settings.Approval(str("tools.approval"), (Duration) get("tools.approval_expiry"))),
                new Settings.Services(str("services.database_url"), str("services.redis_url"),
                        new Settings.Database(integer("database.pool_size"), integer("database.max_overflow"),
                                (Duration) get("database.pool_timeout"), (Duration) get("database.pool_recycle"),
                                bool("database.migrate_on_start"), str("database.ssl_mode"),
                                path("database.ssl_root_cert"), (Duration) get("database.memory_changes_retention"),
                                integer("database.memory_changes_keep"))));
    }

    /** Keys that were given but never bound: must be empty (a test checks it over the whole catalogue). */
    Set<String> unread() {
        var left = new HashSet<>(values.keySet());
        left.removeAll(read);
        return left;
    }

    private Object get(String key) {
        if (!values.containsKey(key)) throw new IllegalStateException("no value for " + key);
        read.add(key);
        return values.get(key);
    }

    @SuppressWarnings("unchecked") private List<Settings.McpServer> mcpServers() {
        return (List<Settings.McpServer>) get("mcp.servers");
    }
    private String str(String key) { return (String) get(key); }
    private boolean bool(String key) { return (Boolean) get(key); }
    private double dbl(String key) { return (Double) get(key); }
    private long lng(String key) { return (Long) get(key); }
    private int integer(String key) { return Math.toIntExact((Long) get(key)); }
    private Double optionalDbl(String key) { return (Double) get(key); }
    private Integer optionalInteger(String key) { return get(key) == null ? null : Math.toIntExact((Long) get(key)); }
    private Path path(String key) { return (Path) get(key); }
    @SuppressWarnings("unchecked") private List<String> list(String key) { return (List<String>) get(key); }
}
