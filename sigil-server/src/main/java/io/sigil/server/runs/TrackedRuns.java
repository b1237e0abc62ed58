package io.sigil.server.runs;

import io.sigil.server.http.ApiProblem;
import io.sigil.server.http.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the runs in flight (REST, SSE and WebSocket alike) so that shutdown can let them finish and cancel the rest.
 * {@link #drain()}: new runs are refused (503 {@code shutting-down} with {@code Retry-After}), runs get up to the
 * grace period to end, then the remaining ones are cancelled with the reason recorded in their sessions, and awaited
 * briefly. A run counts as ended once its {@code complete} message is queued to its client.
 */
public final class TrackedRuns implements RunLauncher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrackedRuns.class);
    /** How long cancelled runs get to record how they ended (deployments add it to their grace period). */
    public static final Duration AFTER_CANCEL = Duration.ofSeconds(10);
    /** Seconds a refused client should wait: another instance (or this one, restarted) takes over by then. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final RunLauncher runs;
    private final Duration grace;
    private final Clock clock;
    private final Set<Tracked> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private volatile boolean drained;

    /** What {@code /debug/state} shows of a run in flight; {@code sessionId} is null until the session is open. */
    public record RunInfo(String sessionId, String agent, Instant started, String status) { }

    public TrackedRuns(RunLauncher runs, Duration grace) {
        this(runs, grace, Clock.systemUTC());
    }

    public TrackedRuns(RunLauncher runs, Duration grace, Clock clock) {
        this.runs = runs;
        this.grace = grace;
        this.clock = clock;
    }

    @Override
    public void requireAgent(String name) { runs.requireAgent(name); }

    @Override
    public ActiveRun launch(RunInput input, RunSink sink) {
        Tracked tracked = track(input);
        try {
            tracked.run = runs.launch(input, sinkFor(tracked, sink));
        } catch (RuntimeException e) {
            active.remove(tracked);
            throw e;
        }
        String reason = tracked.cancelReason;
        if (reason != null) tracked.run.cancel(reason); // cancelled by a drain before launch returned
        return tracked.run;
    }

    @Override
    public void runHere(RunInput input, RunSink sink, Consumer<ActiveRun> started) throws InterruptedException {
        Tracked tracked = track(input);
        try {
            runs.runHere(input, sinkFor(tracked, sink), run -> {
                tracked.run = run;
                started.accept(run);
                String reason = tracked.cancelReason;
                if (reason != null) run.cancel(reason); // cancelled by a drain before the run was handed over
            });
        } finally {
            active.remove(tracked); // also when the request was refused before the run began
            tracked.ended.countDown();
        }
    }

    /** The run's messages pass through {@code tracked} (session, stage); its end removes it from the runs in flight. */
    private RunSink sinkFor(Tracked tracked, RunSink sink) {
        return new RunSink() {
            @Override
            public void publish(String type, Object data) {
                tracked.saw(type, data);
                sink.publish(type, data);
            }

            @Override
            public void ended() {
                try {
                    sink.ended();
                } finally {
                    active.remove(tracked);
                    tracked.ended.countDown();
                }
            }
        };
    }

    /** Registers a run about to start, or refuses it once shutdown has begun. */
    private Tracked track(RunInput input) {
        Tracked tracked = new Tracked(input.agent(), input.sessionId(), clock.instant());
        // Added before the check, and drain() sets closing before it looks: a run is either refused or drained.
        active.add(tracked);
        if (closing) {
            active.remove(tracked);
            throw shuttingDown();
        }
        return tracked;
    }

    /** The 503 a run request gets once shutdown has begun. */
    public static ApiProblem shuttingDown() {
        return new ApiProblem(Problem.of(503, "shutting-down", "Service unavailable",
                "The server is shutting down and takes no new runs; retry shortly (another instance, or this one"
                        + " once restarted, will take it)."), Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    public boolean closing() { return closing; }

    public int inFlight() { return active.size(); }

    /** The runs in flight, oldest first. */
    public List<RunInfo> runs() {
        return active.stream().sorted(Comparator.comparing(t -> t.started))
                .map(t -> new RunInfo(t.sessionId, t.agent, t.started, t.status)).toList();
    }

    /**
     * Refuses new runs, waits up to the grace period for the runs in flight, then cancels the rest (their sessions
     * record why) and waits for them to end. Idempotent; returns the number of runs cancelled.
     */
    public synchronized int drain() {
        closing = true;
        if (drained) return 0;
        drained = true;
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            if (!active.isEmpty()) log.info("Shutdown: waiting up to {} s for {} run(s) in flight", grace.toSeconds(), active.size());
            while (!active.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                for (Tracked t : Set.copyOf(active)) {
                    left = deadline - System.nanoTime();
                    if (left <= 0 || !t.ended.await(left, TimeUnit.NANOSECONDS)) break;
                }
            }
            Set<Tracked> remaining = Set.copyOf(active);
            if (remaining.isEmpty()) return 0;
            log.warn("Shutdown: cancelling {} run(s) still in flight after the {} s grace period", remaining.size(),
                    grace.toSeconds());
            String reason = "the server shut down before the run finished (grace period " + grace.toSeconds() + " s)";
            remaining.forEach(t -> t.cancel(reason));
            for (Tracked t : remaining) {
                if (!t.ended.await(AFTER_CANCEL.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("A cancelled run of agent {} did not end within {}", t.agent, AFTER_CANCEL);
                }
            }
            return remaining.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active.forEach(t -> t.cancel("the server was stopped"));
            return active.size();
        }
    }

    @Override
    public void close() { drain(); }

    /** One run in flight and what its messages told so far. */
    private static final class Tracked {
        final String agent;
        final Instant started;
        final CountDownLatch ended = new CountDownLatch(1);
        volatile ActiveRun run;
        volatile String sessionId;
        volatile String status = "starting";
        volatile String cancelReason;

        Tracked(String agent, String sessionId, Instant started) {
            this.agent = agent;
            this.sessionId = sessionId;
            this.started = started;
        }

        void saw(String type, Object data) {
            if (!(data instanceof Map<?, ?> m)) return;
            if (m.get("session_id") instanceof String id) sessionId = id;
            if (m.get("stage") instanceof String stage && (type.equals("status") || type.equals("progress"))) {
                if (!status.equals("cancelling")) status = stage;
            }
        }

        void cancel(String reason) {
            status = "cancelling";
            cancelReason = reason;
            ActiveRun r = run;
            if (r != null) r.cancel(reason);
        }
    }
}
