package io.sigil.server;

import java.time.Duration;

/**
 * Server knobs that are not (yet) part of {@link io.sigil.config.Settings}; {@code sigil serve} sets them from its
 * options.
 *
 * @param shutdownTimeout   how long in-flight requests may take to finish once shutdown starts
 * @param hstsMaxAgeSeconds {@code Strict-Transport-Security} max-age; 0 leaves the header out
 * @param jwtLeeway         clock skew tolerated on {@code exp}/{@code nbf}/{@code iat} (at most 60 s)
 * @param maxPageSize       the largest {@code limit} a list endpoint accepts
 */
public record ServerOptions(Duration shutdownTimeout, long hstsMaxAgeSeconds, Duration jwtLeeway, int maxPageSize) {

    public static final ServerOptions DEFAULTS = new ServerOptions(Duration.ofSeconds(30), 31_536_000,
            Duration.ofSeconds(30), 200);

    public ServerOptions {
        if (shutdownTimeout.isNegative()) throw new IllegalArgumentException("shutdownTimeout must not be negative");
        if (hstsMaxAgeSeconds < 0) throw new IllegalArgumentException("hstsMaxAgeSeconds must not be negative");
        if (maxPageSize < 1) throw new IllegalArgumentException("maxPageSize must be at least 1");
    }

    public ServerOptions withShutdownTimeout(Duration timeout) {
        return new ServerOptions(timeout, hstsMaxAgeSeconds, jwtLeeway, maxPageSize);
    }

    public ServerOptions withHstsMaxAge(long seconds) {
        return new ServerOptions(shutdownTimeout, seconds, jwtLeeway, maxPageSize);
    }
}
