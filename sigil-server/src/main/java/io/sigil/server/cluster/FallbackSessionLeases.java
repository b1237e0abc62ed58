package io.sigil.server.cluster;

import io.sigil.cluster.LocalSessionLeases;
import io.sigil.cluster.SessionLeases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Shared leases (Redis) with this replica's own as the fallback while Redis is unreachable: a session is then
 * protected against a second run on this replica only, which the cache health check reports as degraded.
 */
final class FallbackSessionLeases implements SessionLeases {
    private static final Logger log = LoggerFactory.getLogger(FallbackSessionLeases.class);
    private final SessionLeases shared;
    private final LocalSessionLeases local = new LocalSessionLeases();

    FallbackSessionLeases(SessionLeases shared) {
        this.shared = shared;
    }

    @Override
    public Optional<Lease> tryAcquire(String sessionId, Duration ttl) {
        if (local.held(sessionId)) return Optional.empty(); // taken here during an outage, still running
        try {
            return shared.tryAcquire(sessionId, ttl);
        } catch (RuntimeException e) {
            log.debug("Shared lease of session {} unavailable ({}); leasing on this replica only", sessionId, e.toString());
            return local.tryAcquire(sessionId, ttl);
        }
    }

    @Override
    public boolean held(String sessionId) {
        if (local.held(sessionId)) return true;
        try {
            return shared.held(sessionId);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
