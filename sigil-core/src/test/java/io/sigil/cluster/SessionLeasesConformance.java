package io.sigil.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link SessionLeases} adapter does the same way (in-process, Redis). */
public abstract class SessionLeasesConformance {
    private static final Duration TTL = Duration.ofSeconds(30);

    /** A fresh view of the leases; two calls must share state (two replicas of one deployment). */
    protected abstract SessionLeases leases();

    protected String session() { return "lease-" + UUID.randomUUID(); }

    @Test
    void oneHolderAtATime() {
        String s = session();
        SessionLeases a = leases();
        SessionLeases b = leases();
        Optional<SessionLeases.Lease> first = a.tryAcquire(s, TTL);
        assertThat(first).isPresent();
        assertThat(first.get().sessionId()).isEqualTo(s);
        assertThat(b.tryAcquire(s, TTL)).as("the other replica loses").isEmpty();
        assertThat(b.held(s)).isTrue();
        first.get().close();
        assertThat(b.held(s)).isFalse();
        Optional<SessionLeases.Lease> second = b.tryAcquire(s, TTL);
        assertThat(second).isPresent();
        second.get().close();
    }

    @Test
    void sessionsAreIndependent() {
        SessionLeases l = leases();
        try (var x = l.tryAcquire(session(), TTL).orElseThrow(); var y = l.tryAcquire(session(), TTL).orElseThrow()) {
            assertThat(x.sessionId()).isNotEqualTo(y.sessionId());
        }
    }

    @Test
    void anExpiredLeaseFreesTheSessionAndItsOldHolderCannotReleaseTheNewOne() throws InterruptedException {
        String s = session();
        SessionLeases l = leases();
        SessionLeases.Lease stale = l.tryAcquire(s, Duration.ofMillis(150)).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Optional<SessionLeases.Lease> taken = Optional.empty();
        while (taken.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            taken = leases().tryAcquire(s, TTL);
        }
        assertThat(taken).as("taken after expiry").isPresent();
        assertThat(stale.renew(TTL)).as("the stale holder learns it lost the lease").isFalse();
        stale.close();
        assertThat(l.held(s)).as("the stale close left the new holder's lease alone").isTrue();
        taken.get().close();
    }

    @Test
    void renewingKeepsTheLease() {
        String s = session();
        try (SessionLeases.Lease lease = leases().tryAcquire(s, TTL).orElseThrow()) {
            assertThat(lease.renew(TTL)).isTrue();
            assertThat(leases().tryAcquire(s, TTL)).isEmpty();
        }
    }
}
