package io.sigil.server.net;

import java.time.Duration;

/**
 * What one server accepts from its clients' connections (settings {@code api.max_connections},
 * {@code api.max_connections_per_client}, {@code api.request_header_timeout_seconds},
 * {@code api.min_request_bytes_per_second}).
 *
 * @param maxConnections      open connections in total; at the limit the server stops accepting until one closes
 * @param maxPerClient        open connections from one client address; more are closed as they are accepted
 * @param headerTimeout       how long a connection may take to send a complete request head
 * @param minBodyBytesPerSecond a request body arriving slower than this (averaged from the request's first byte) is
 *                            refused with 408; 0, the default, turns the check off (see the setting's description)
 */
public record ConnectionLimits(int maxConnections, int maxPerClient, Duration headerTimeout, long minBodyBytesPerSecond) {
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(10_000, 512, Duration.ofSeconds(10), 0);

    public ConnectionLimits {
        if (maxConnections < 1 || maxPerClient < 1) throw new IllegalArgumentException("connection caps must be >= 1");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) throw new IllegalArgumentException("header timeout must be > 0");
    }

    /**
     * File descriptors the caps need: one per connection, plus a margin for the process's own files (event log
     * segments, memory index, logs, JDK).
     */
    public long descriptorsNeeded() { return maxConnections + 512L; }
}
