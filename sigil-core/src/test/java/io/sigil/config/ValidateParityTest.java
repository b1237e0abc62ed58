package io.sigil.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sigil config validate} fails exactly where running would, and warns about settings that have no effect
 * (issue 16, point 6).
 */
class ValidateParityTest {
    @TempDir
    Path dir;

    private ConfigLoader.Outcome check(Map<String, String> env) {
        return ConfigLoader.check(ConfigInputs.of(env, dir));
    }

    @Test
    void thePostgresBackendNeedsItsDatabaseUrl() {
        var without = check(Map.of("SIGIL_STATE_BACKEND", "postgres"));
        assertThat(without.errors()).extracting(ConfigIssue::describe)
                .anyMatch(d -> d.contains("state.backend") && d.contains("needs services.database_url"));
        var with = check(Map.of("SIGIL_STATE_BACKEND", "postgres", "DATABASE_URL", "postgresql://u:p@db:5432/sigil"));
        assertThat(with.errors()).isEmpty();
    }

    @Test
    void anEmbeddingModelThatDoesNotRunLocallyNeedsAnEndpoint() {
        var o = check(Map.of("SIGIL_MEMORY_EMBEDDING_MODEL", "text-embedding-3-small"));
        assertThat(o.errors()).extracting(ConfigIssue::describe)
                .anyMatch(d -> d.contains("memory.embedding_model") && d.contains("not available locally"));
        var withEndpoint = check(Map.of("SIGIL_MEMORY_EMBEDDING_MODEL", "text-embedding-3-small",
                "SIGIL_MEMORY_EMBEDDING_BASE_URL", "http://127.0.0.1:9/v1"));
        assertThat(withEndpoint.errors()).isEmpty();
        assertThat(check(Map.of("SIGIL_MEMORY_EMBEDDING_MODEL", "all-minilm-l6-v2")).errors()).isEmpty();
        // Every model the memory module runs in-process is accepted without an endpoint (e5 is the default).
        for (String local : List.of("e5-small-v2-q", "all-minilm-l6-v2-q", "bge-small-en-v1.5-q")) {
            assertThat(check(Map.of("SIGIL_MEMORY_EMBEDDING_MODEL", local)).errors()).as(local).isEmpty();
        }
    }

    @Test
    void settingsWithoutEffectAreWarnings() {
        var o = check(Map.of("SIGIL_USE_EVOLUTION", "true", "QDRANT_URL", "http://qdrant:6333", "SIGIL_API_WORKERS", "8"));
        assertThat(o.errors()).isEmpty();
        assertThat(o.warnings()).extracting(ConfigIssue::describe)
                .noneMatch(d -> d.contains("features.evolution")) // evolution exists now (issue #24)
                .anyMatch(d -> d.contains("QDRANT_URL") && d.contains("ignored"))
                .anyMatch(d -> d.contains("api.workers") && d.contains("ignored"));
    }

    @Test
    void theDefaultsAndTheShippedFilesAreClean() {
        assertThat(check(Map.of()).issues()).isEmpty();
        for (String env : new String[] {"development", "production"}) {
            var o = ConfigLoader.check(new ConfigInputs(Map.of("SIGIL_ENVIRONMENT", env,
                    "SIGIL_JWT_SECRET", "x".repeat(40)), dir, java.util.List.of(), null, Path.of("../config").toAbsolutePath()));
            assertThat(o.issues()).as(env).isEmpty();
        }
    }
}
