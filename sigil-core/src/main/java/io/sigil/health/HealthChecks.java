package io.sigil.health;

import io.sigil.config.Settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a configuration calls for (guide 8.2), shared by {@code sigil health} and {@code GET /health}:
 * llm (key present), state (data directory, critical with the file backend), memory, logs (when logging to a
 * file), database (critical when state lives there) and cache (Redis when configured, else in-process).
 */
public final class HealthChecks {
    private HealthChecks() { }

    public static List<HealthCheck> forSettings(Settings settings, Duration connectTimeout) {
        List<HealthCheck> checks = new ArrayList<>();
        checks.add(new LlmKeyCheck(settings.llm()));
        boolean fileState = "file".equals(settings.state().backend());
        if (fileState) checks.add(new DirectoryCheck("state", settings.state().dataDir(), true));
        checks.add(new DirectoryCheck("memory", settings.memory().dataDir(), false));
        if (settings.logging().file() != null) {
            Path parent = settings.logging().file().toAbsolutePath().getParent();
            checks.add(new DirectoryCheck("logs", parent, false));
        }
        if (settings.services().databaseUrl() != null) {
            checks.add(new ServiceCheck("database", settings.services().databaseUrl(), 5432, !fileState, connectTimeout));
        }
        checks.add(settings.services().redisUrl() != null
                ? new ServiceCheck("cache", settings.services().redisUrl(), 6379, false, connectTimeout)
                : new InProcessCacheCheck());
        return checks;
    }
}
