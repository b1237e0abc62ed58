package io.sigil.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * A configured network service (PostgreSQL, Redis) accepts TCP connections. The URL's credentials are never
 * shown. A critical service down makes Sigil unhealthy; any other only degrades it.
 */
public final class ServiceCheck implements HealthCheck {
    private final String name;
    private final String url;
    private final int defaultPort;
    private final boolean critical;
    private final Duration timeout;

    public ServiceCheck(String name, String url, int defaultPort, boolean critical, Duration timeout) {
        this.name = name;
        this.url = url;
        this.defaultPort = defaultPort;
        this.critical = critical;
        this.timeout = timeout;
    }

    @Override
    public String name() { return name; }

    @Override
    public boolean critical() { return critical; }

    @Override
    public Result check() {
        // A JDBC URL (jdbc:postgresql://host:5432/db) is checked as the URL after its jdbc: prefix.
        String authority = URI.create(url.regionMatches(true, 0, "jdbc:", 0, 5) ? url.substring(5) : url).getRawAuthority();
        if (authority == null) return Result.unhealthy("no host in the configured URL");
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > hostPort.lastIndexOf(']');
        String host = hasPort ? hostPort.substring(0, colon) : hostPort;
        int port;
        try {
            port = hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : defaultPort;
        } catch (NumberFormatException e) {
            return down("bad port in " + hostPort);
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Result.healthy(host + ":" + port + " accepts connections");
        } catch (IOException e) {
            return down(host + ":" + port + " unreachable (" + e.getMessage() + ")");
        }
    }

    private Result down(String detail) {
        return critical ? Result.unhealthy(detail) : Result.degraded(detail);
    }
}
