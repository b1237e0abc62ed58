package io.sigil.cluster;

import java.time.Duration;
import java.util.Optional;

/**
 * One run at a time per session, across every replica that shares the state: a run takes its session's lease
 * before it starts and gives it back when it ends. A lease expires unless renewed, so the leases of a replica
 * killed with {@code kill -9} free their sessions after at most one TTL. The in-process adapter is
 * {@link LocalSessionLeases}; the Redis adapter shares leases between processes.
 */
public interface SessionLeases {

    /** The lease of {@code sessionId}, or empty while another run (on any replica) holds it. */
    Optional<Lease> tryAcquire(String sessionId, Duration ttl);

    /** Whether a live run holds the session's lease now (start-up recovery leaves such sessions alone). */
    boolean held(String sessionId);

    /** A held lease. Closing it releases it (only if still this holder's). */
    interface Lease extends AutoCloseable {
        String sessionId();

        /** Extends the lease to {@code ttl} from now; false when it was lost (expired and taken by another run). */
        boolean renew(Duration ttl);

        @Override
        void close();
    }
}
