package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.cluster.ClusterBus;
import io.sigil.cluster.SessionLeases;
import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import io.sigil.server.runs.RunInput;
import io.sigil.server.runs.RunLauncher;
import io.sigil.server.runs.RunSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs as replicas of one deployment see them (issue 19), around the launcher that executes them here:
 * <ul>
 *   <li>one run at a time per session across replicas: a run of an existing session takes the session's lease or
 *       is refused with 409 {@code session-busy}; the lease is renewed while the run lasts and released at its end
 *       (a killed replica's leases expire after {@link #LEASE_TTL});</li>
 *   <li>cancel from any replica: {@link #CANCEL_CHANNEL} messages cancel the run of their session if it runs here;</li>
 *   <li>following from any replica: every message of a run goes to the channel {@link #runChannel} of its session.</li>
 * </ul>
 */
public final class ClusterRuns implements RunLauncher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterRuns.class);
    public static final Duration LEASE_TTL = Duration.ofSeconds(30);
    static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    public static final String CANCEL_CHANNEL = "cancel";
    /** The code of the 409 for a session with a run in progress, on HTTP and WebSocket alike. */
    public static final String SESSION_BUSY = "SESSION_BUSY";

    private final RunLauncher runs;
    private final SessionLeases leases;
    private final ClusterBus bus;
    private final ObjectMapper mapper;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;
    private final ClusterBus.Subscription cancels;

    public ClusterRuns(RunLauncher runs, SessionLeases leases, ClusterBus bus, ObjectMapper mapper) {
        this.runs = runs;
        this.leases = leases;
        this.bus = bus;
        this.mapper = mapper;
        this.renewer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lease-renew").factory());
        renewer.scheduleWithFixedDelay(this::renewAll, RENEW_EVERY.toMillis(), RENEW_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        this.cancels = bus.subscribe(CANCEL_CHANNEL, this::cancelRequested);
    }

    /** The bus channel carrying the messages of the run of {@code sessionId}. */
    public static String runChannel(String sessionId) { return "run:" + sessionId; }

    /** The wire form of a cancel request on {@link #CANCEL_CHANNEL}. */
    public static String cancelMessage(ObjectMapper mapper, String sessionId, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_id", sessionId);
        m.put("reason", reason);
        try {
            return mapper.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException("a map of two strings always serializes", e);
        }
    }

    @Override
    public void requireAgent(String name) { runs.requireAgent(name); }

    @Override
    public ActiveRun launch(RunInput input, RunSink sink) {
        Running r = begin(input);
        try {
            ActiveRun run = runs.launch(input, r.sink(sink));
            r.started(run);
            return run;
        } catch (RuntimeException e) {
            r.end();
            throw e;
        }
    }

    @Override
    public void runHere(RunInput input, RunSink sink, Consumer<ActiveRun> started) throws InterruptedException {
        Running r = begin(input);
        try {
            runs.runHere(input, r.sink(sink), run -> {
                r.started(run);
                started.accept(run);
            });
        } finally {
            r.end();
        }
    }

    private Running begin(RunInput input) {
        Running r = new Running();
        if (input.sessionId() != null && !r.adopt(input.sessionId())) throw busy(input.sessionId());
        return r;
    }

    static ApiProblem busy(String sessionId) {
        return new ApiProblem(Problem.of(409, "session-busy", "Conflict", "Session '" + sessionId
                + "' has a run in progress (on this or another replica). Wait for its complete message, or cancel it"
                + " with POST /sessions/" + sessionId + "/cancel, then send this message again.").withCode(SESSION_BUSY),
                Map.of("Retry-After", "2"));
    }

    private void cancelRequested(String message) {
        try {
            JsonNode m = mapper.readTree(message);
            Running r = running.get(m.path("session_id").asText(""));
            if (r != null) r.cancel(m.path("reason").asText("cancelled through another replica"));
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring a malformed cancel message: {}", e.toString());
        }
    }

    private void renewAll() {
        for (Running r : running.values()) {
            SessionLeases.Lease lease = r.lease;
            if (lease == null) continue;
            try {
                if (!lease.renew(LEASE_TTL)) log.warn("The lease of session {} was lost while its run goes on", lease.sessionId());
            } catch (RuntimeException e) {
                log.debug("Renewing the lease of session {} failed: {}", lease.sessionId(), e.toString());
            }
        }
    }

    /**
     * Runs {@code sweep} once the leases of a replica killed just before this one started have expired (the start-up
     * sweep left their sessions alone while the leases were live).
     */
    public void afterLeaseTtl(Runnable sweep) {
        renewer.schedule(() -> {
            try {
                sweep.run();
            } catch (RuntimeException e) {
                log.warn("The delayed interrupted-run sweep failed: {}", e.toString());
            }
        }, LEASE_TTL.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    /** Sessions with a run executing on this replica. */
    public int runningHere() { return running.size(); }

    @Override
    public void close() {
        cancels.close();
        renewer.shutdownNow();
    }

    /** One run executing here: its session (once known), lease and handle. */
    private final class Running {
        volatile String sessionId;
        volatile SessionLeases.Lease lease;
        volatile ActiveRun run;
        volatile String cancelReason;

        /** Takes the session's lease; false when another run holds it. */
        boolean adopt(String id) {
            var taken = leases.tryAcquire(id, LEASE_TTL);
            if (taken.isEmpty()) return false;
            lease = taken.get();
            sessionId = id;
            running.put(id, this);
            return true;
        }

        void started(ActiveRun r) {
            run = r;
            String reason = cancelReason;
            if (reason != null) r.cancel(reason); // a cancel arrived before the run was handed over
        }

        void cancel(String reason) {
            cancelReason = reason;
            ActiveRun r = run;
            if (r != null) r.cancel(reason);
        }

        RunSink sink(RunSink to) {
            return new RunSink() {
                @Override
                public void publish(String type, Object data) {
                    // A new session's id arrives with the run's first message: from then on it is leased too.
                    if (sessionId == null && data instanceof Map<?, ?> m && m.get("session_id") instanceof String id
                            && !adopt(id)) {
                        log.warn("New session {} is already leased by another run", id);
                    }
                    relay(type, data);
                    if (type.equals(RunSink.COMPLETE)) end(); // the session is free once its client can read the end
                    to.publish(type, data);
                }

                @Override
                public void ended() {
                    try {
                        to.ended();
                    } finally {
                        end();
                    }
                }
            };
        }

        private void relay(String type, Object data) {
            String id = sessionId;
            if (id == null) return;
            try {
                bus.publishAsync(runChannel(id), RelayedMessage.write(mapper, type, data));
            } catch (RuntimeException e) {
                log.debug("Relaying a {} message of session {} failed: {}", type, id, e.toString());
            }
        }

        void end() {
            String id = sessionId;
            if (id != null) running.remove(id, this);
            SessionLeases.Lease l = lease;
            lease = null;
            if (l == null) return;
            try {
                l.close();
            } catch (RuntimeException e) {
                log.debug("Releasing the lease of session {} failed (it expires by itself): {}", id, e.toString());
            }
        }
    }
}
