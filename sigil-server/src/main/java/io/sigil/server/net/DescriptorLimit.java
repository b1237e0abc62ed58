package io.sigil.server.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.OptionalLong;

/** The process's file-descriptor limit against what the connection caps need, checked once at start-up. */
public final class DescriptorLimit {
    private static final Logger log = LoggerFactory.getLogger(DescriptorLimit.class);

    private DescriptorLimit() { }

    /** The limit ({@code ulimit -n}), where the platform reports it. */
    public static OptionalLong current() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? OptionalLong.of(unix.getMaxFileDescriptorCount()) : OptionalLong.empty();
    }

    /** Logs a warning when the limit is below what {@code limits} need; returns whether it is. */
    public static boolean warnIfLow(ConnectionLimits limits) {
        OptionalLong max = current();
        if (max.isEmpty() || max.getAsLong() >= limits.descriptorsNeeded()) return false;
        log.warn("The file-descriptor limit is {} but SIGIL_API_MAX_CONNECTIONS={} needs about {}: at that many"
                        + " connections the server would fail to open files and accept clients. Raise the limit"
                        + " (ulimit -n, LimitNOFILE= in systemd, --ulimit nofile= in Docker) or lower the cap.",
                max.getAsLong(), limits.maxConnections(), limits.descriptorsNeeded());
        return true;
    }
}
