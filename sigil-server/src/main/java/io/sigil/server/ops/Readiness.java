package io.sigil.server.ops;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this instance should receive new traffic, apart from its health checks: false from the moment shutdown
 * begins (before runs are drained and connectors close), so that a load balancer or Kubernetes stops routing here
 * while the requests already in flight finish.
 */
public final class Readiness {
    private final AtomicBoolean draining = new AtomicBoolean();

    /** Shutdown has begun: report not ready from now on. Idempotent. */
    public void markDraining() { draining.set(true); }

    public boolean draining() { return draining.get(); }
}
