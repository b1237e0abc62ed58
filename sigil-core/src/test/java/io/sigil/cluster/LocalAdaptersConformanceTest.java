package io.sigil.cluster;

import org.junit.jupiter.api.Nested;

/** The in-process adapters against the coordination conformance suites (one process is the whole cluster). */
class LocalAdaptersConformanceTest {
    private final LocalSessionLeases leases = new LocalSessionLeases();
    private final LocalClusterBus bus = new LocalClusterBus();

    @Nested
    class Leases extends SessionLeasesConformance {
        @Override
        protected SessionLeases leases() { return leases; }
    }

    @Nested
    class Bus extends ClusterBusConformance {
        @Override
        protected ClusterBus bus() { return bus; }
    }
}
