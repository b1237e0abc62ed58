package io.sigil.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigCatalogueTest {

    @Test
    void everyKeyHasBothEnvFormsAndTheGuidesNames() {
        ConfigKey model = ConfigCatalogue.byKey("llm.model").orElseThrow();
        assertThat(model.envNames()).containsExactly("SIGIL_LLM__MODEL", "SIGIL_LLM_MODEL");
        assertThat(ConfigCatalogue.byKey("features.memory").orElseThrow().envNames())
                .containsExactly("SIGIL_FEATURES__MEMORY", "SIGIL_FEATURES_MEMORY", "SIGIL_USE_MEMORY");
        assertThat(ConfigCatalogue.byEnvName("ANTHROPIC_API_KEY")).map(ConfigKey::key).contains("llm.anthropic_api_key");
        assertThat(ConfigCatalogue.byEnvName("TAVILY_API_KEY")).map(ConfigKey::key).contains("tools.tavily_api_key");
        assertThat(ConfigCatalogue.byEnvName("REDIS_URL")).map(ConfigKey::key).contains("services.redis_url");
        assertThat(ConfigCatalogue.byEnvName("SIGIL_ENVIRONMENT")).map(ConfigKey::key).contains("environment");
    }

    @Test
    void theGuidesEnvironmentBlockIsFullyCovered() {
        for (String name : new String[] {"ANTHROPIC_API_KEY", "SIGIL_USE_MEMORY", "SIGIL_USE_PLANNING", "SIGIL_USE_CONTRACTS",
                "SIGIL_USE_EVOLUTION", "SIGIL_USE_ROUTING", "SIGIL_LLM_PROVIDER", "SIGIL_LLM_MODEL", "SIGIL_LLM_TEMPERATURE",
                "SIGIL_LLM_MAX_TOKENS", "SIGIL_LLM_TIMEOUT", "SIGIL_MEMORY_EMBEDDING_MODEL", "SIGIL_MEMORY_RETRIEVAL_K",
                "SIGIL_MEMORY_HYBRID_THRESHOLD", "SIGIL_MEMORY_DATA_DIR", "SIGIL_CONTRACT_DEFAULT_MAX_RETRIES",
                "SIGIL_CONTRACT_DEFAULT_STRATEGY", "SIGIL_CONTRACT_MAX_TOTAL_TOKENS", "SIGIL_STATE_DATA_DIR",
                "SIGIL_STATE_MAX_EVENTS_PER_SESSION", "SIGIL_API_HOST", "SIGIL_API_PORT", "SIGIL_API_WORKERS",
                "SIGIL_API_DEBUG", "SIGIL_API_CORS_ORIGINS", "SIGIL_JWT_SECRET", "SIGIL_JWT_ALGORITHM",
                "SIGIL_JWT_EXPIRE_MINUTES", "SIGIL_RATE_LIMIT_PER_MINUTE", "TAVILY_API_KEY", "ELEVENLABS_API_KEY",
                "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "SIGIL_LOG_LEVEL", "SIGIL_LOG_FORMAT", "SIGIL_LOG_FILE",
                "SIGIL_TELEMETRY_ENABLED", "SIGIL_TELEMETRY_ENDPOINT", "SIGIL_ENVIRONMENT", "DATABASE_URL", "REDIS_URL"}) {
            assertThat(ConfigCatalogue.byEnvName(name)).as(name).isPresent();
        }
    }

    @Test
    void theDesignDefaultsComeFromSettings() {
        Map<String, String> d = new HashMap<>();
        ConfigCatalogue.all().forEach(k -> d.put(k.key(), k.defaultText()));
        // No temperature or max_tokens unless configured: the provider's defaults apply (issue 17).
        assertThat(d.get("llm.temperature")).isNullOrEmpty();
        assertThat(d.get("llm.max_tokens")).isNullOrEmpty();
        assertThat(d).containsEntry("llm.timeout", "60s").containsEntry("memory.retrieval_k", "5")
                .containsEntry("memory.hybrid_threshold", "0.7").containsEntry("contracts.default_max_retries", "2")
                .containsEntry("contracts.default_strategy", "retry").containsEntry("contracts.max_total_tokens", "256000")
                .containsEntry("state.max_events_per_session", "10000").containsEntry("api.host", "0.0.0.0")
                .containsEntry("api.port", "8000").containsEntry("security.jwt_algorithm", "HS256")
                .containsEntry("security.jwt_expire_minutes", "60").containsEntry("security.rate_limit_per_minute", "60")
                .containsEntry("environment", "development").containsEntry("security.jwt_secret", "");
    }

    @Test
    void everyDefaultParsesBackAndTheBinderUsesEveryKey() throws ValueType.Invalid {
        Map<String, Object> values = new HashMap<>();
        for (ConfigKey k : ConfigCatalogue.all()) {
            Object def = k.read(Settings.defaults());
            if (def != null) assertThat(k.type().parse(k.defaultText())).as(k.key()).isEqualTo(def);
            values.put(k.key(), def);
        }
        var binder = new SettingsBinder(values);
        Settings bound = binder.bind();
        assertThat(binder.unread()).isEmpty();
        assertThat(bound).isEqualTo(Settings.defaults());
    }

    @Test
    void secretsAreMasked() {
        assertThat(ConfigCatalogue.all().stream().filter(ConfigKey::isSecret).map(ConfigKey::key)).contains(
                "llm.anthropic_api_key", "llm.openai_api_key", "security.jwt_secret", "tools.tavily_api_key",
                "tools.twilio_auth_token", "services.database_url", "services.redis_url");
        ConfigKey jwt = ConfigCatalogue.byKey("security.jwt_secret").orElseThrow();
        assertThat(jwt.show("a-very-secret-value")).isEqualTo("***");
        assertThat(jwt.show(null)).isEmpty();
        ConfigKey redis = ConfigCatalogue.byKey("services.redis_url").orElseThrow();
        assertThat(redis.show("redis://:pw@cache:6379/0")).isEqualTo("redis://:***@cache:6379/0");
        assertThat(redis.show("redis://cache:6379/0")).isEqualTo("redis://cache:6379/0");
    }
}
