package io.sigil.health;

import io.sigil.config.Settings;
import io.sigil.health.HealthReport.Check;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

/**
 * Checks what the configuration depends on, without calling any model: data directories are writable (or can be
 * created), the configured LLM provider has its key, and configured services (PostgreSQL, Redis) accept
 * connections. Statuses follow the guide (8.2): a missing LLM key or an unreachable cache degrades Sigil; an
 * unwritable data directory or an unreachable database it stores state in makes it unhealthy.
 */
public final class HealthChecks {
    private final Settings settings;
    private final Duration connectTimeout;

    public HealthChecks(Settings settings, Duration connectTimeout) {
        this.settings = settings;
        this.connectTimeout = connectTimeout;
    }

    public HealthReport run() {
        var checks = new ArrayList<Check>();
        checks.add(llm());
        if ("file".equals(settings.state().backend())) checks.add(writableDir("data.state", settings.state().dataDir()));
        checks.add(writableDir("data.memory", settings.memory().dataDir()));
        if (settings.logging().file() != null) {
            Path parent = settings.logging().file().toAbsolutePath().getParent();
            checks.add(writableDir("logs", parent));
        }
        if (settings.services().databaseUrl() != null) {
            HealthStatus ifDown = "postgres".equals(settings.state().backend()) ? HealthStatus.UNHEALTHY : HealthStatus.DEGRADED;
            checks.add(reachable("database", settings.services().databaseUrl(), 5432, ifDown));
        }
        if (settings.services().redisUrl() != null) {
            checks.add(reachable("cache", settings.services().redisUrl(), 6379, HealthStatus.DEGRADED));
        }
        return HealthReport.of(checks);
    }

    /** The provider comes from the model's prefix ({@code openai:gpt-4o}, {@code test}) or llm.provider. */
    Check llm() {
        Settings.Llm llm = settings.llm();
        String provider = llm.provider();
        String model = llm.model();
        int colon = model.indexOf(':');
        if (model.equals("test")) provider = "test";
        else if (colon > 0) provider = model.substring(0, colon);
        return switch (provider) {
            case "anthropic" -> keyCheck(provider, llm.anthropicApiKey(), "ANTHROPIC_API_KEY", llm.baseUrl());
            case "openai" -> keyCheck(provider, llm.openaiApiKey(), "OPENAI_API_KEY", llm.baseUrl());
            case "ollama", "test" -> new Check("llm", HealthStatus.HEALTHY, provider + ": no key needed");
            default -> new Check("llm", HealthStatus.UNHEALTHY,
                    "unknown provider '" + provider + "' in llm.model; use anthropic:, openai:, ollama: or test");
        };
    }

    private static Check keyCheck(String provider, String key, String variable, String baseUrl) {
        if (key != null && !key.isBlank()) return new Check("llm", HealthStatus.HEALTHY, provider + ": key present (" + variable + ")");
        if (baseUrl != null && provider.equals("openai")) {
            return new Check("llm", HealthStatus.HEALTHY, provider + ": no key, using " + baseUrl);
        }
        return new Check("llm", HealthStatus.DEGRADED, provider + ": no key; set " + variable
                + " (or --set llm.model=test for the offline model)");
    }

    /** A directory is fine if a file can be created in it, or if it does not exist yet but can be created. */
    static Check writableDir(String name, Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            try {
                Path probe = Files.createTempFile(abs, ".sigil-health", ".tmp");
                Files.delete(probe);
                return new Check(name, HealthStatus.HEALTHY, abs + " is writable");
            } catch (IOException | SecurityException e) {
                return new Check(name, HealthStatus.UNHEALTHY, abs + " is not writable (" + e.getClass().getSimpleName()
                        + "); fix its permissions or point the setting elsewhere");
            }
        }
        if (Files.exists(abs)) {
            return new Check(name, HealthStatus.UNHEALTHY, abs + " exists but is not a directory");
        }
        Path existing = abs.getParent();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing != null && Files.isDirectory(existing) && Files.isWritable(existing)) {
            return new Check(name, HealthStatus.HEALTHY, abs + " will be created (" + existing + " is writable)");
        }
        return new Check(name, HealthStatus.UNHEALTHY, abs + " cannot be created ("
                + (existing == null ? "no existing parent" : existing + " is not writable") + ")");
    }

    /** Opens a TCP connection to the service's host and port; the URL's credentials are never shown. */
    private Check reachable(String name, String url, int defaultPort, HealthStatus ifDown) {
        String authority = URI.create(url).getRawAuthority();
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > hostPort.lastIndexOf(']');
        String host = hasPort ? hostPort.substring(0, colon) : hostPort;
        int port;
        try {
            port = hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : defaultPort;
        } catch (NumberFormatException e) {
            return new Check(name, ifDown, "bad port in " + hostPort);
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            return new Check(name, HealthStatus.HEALTHY, host + ":" + port + " accepts connections");
        } catch (IOException e) {
            return new Check(name, ifDown, host + ":" + port + " unreachable (" + e.getMessage() + ")");
        }
    }
}
