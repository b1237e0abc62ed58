package io.sigil.server.runs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the runs in flight so that shutdown can let them finish and cancel the rest: on {@link #close()} new runs
 * are refused, runs get up to the grace period to end, then the remaining ones are cancelled (they still end with
 * a recorded response, status cancelled) and awaited briefly.
 */
public final class TrackedRuns implements RunLauncher, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrackedRuns.class);
    private static final Duration AFTER_CANCEL = Duration.ofSeconds(10);

    private final RunLauncher runs;
    private final Duration grace;
    private final Set<ActiveRun> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    public TrackedRuns(RunLauncher runs, Duration grace) {
        this.runs = runs;
        this.grace = grace;
    }

    @Override
    public void requireAgent(String name) { runs.requireAgent(name); }

    @Override
    public ActiveRun launch(RunInput input, RunSink sink) {
        if (closing) {
            throw new io.sigil.server.http.ApiProblem(io.sigil.server.http.Problem.of(503, "shutting-down",
                    "Service unavailable", "The server is shutting down; retry on another instance or shortly."));
        }
        ActiveRun run = runs.launch(input, sink);
        active.add(run);
        Thread.ofVirtual().name("run-tracker").start(() -> {
            try {
                while (!run.await(Duration.ofMinutes(1))) {
                    // still running
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                active.remove(run);
            }
        });
        return run;
    }

    public int inFlight() { return active.size(); }

    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            for (ActiveRun run : Set.copyOf(active)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !run.await(Duration.ofNanos(left))) break;
            }
            Set<ActiveRun> remaining = Set.copyOf(active);
            if (remaining.isEmpty()) return;
            log.warn("Cancelling {} run(s) still in flight at shutdown", remaining.size());
            remaining.forEach(ActiveRun::cancel);
            for (ActiveRun run : remaining) {
                if (!run.await(AFTER_CANCEL)) log.warn("A cancelled run did not end within {}", AFTER_CANCEL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            active.forEach(ActiveRun::cancel);
        }
    }
}
