package io.sigil.evolution;

import io.sigil.errors.EvolutionError;
import io.sigil.errors.NotFoundError;
import io.sigil.errors.SigilError;
import io.sigil.sessions.Caller;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Optimisations as background jobs (the REST API's): {@link #submit} checks the request, records the job in the
 * store (one running optimisation per agent, across replicas) and runs it on a virtual thread; its generations and
 * end are written to the store, and its heartbeat every {@code heartbeat}, so any replica answers {@link #find}.
 * {@link #recover} (at start-up) takes over the jobs whose heartbeat stopped, a crash or restart having cut them
 * short, and resumes each from its last recorded generation; one that cannot go on (its agent's prompt or cases
 * changed) is marked {@code interrupted} with the reason, and {@link #resume} starts it again by hand. Every heartbeat
 * also takes over the jobs of a replica that died while this one runs on.
 */
public final class OptimizationJobs implements AutoCloseable {
    private final EvolutionService service;
    private final OptimizationJobStore store;
    private final String node;
    private final Clock clock;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OptimizationJobs.class);
    private final Duration staleAfter;
    private final Duration heartbeat;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("evolution-job-", 0).factory());
    private final ScheduledExecutorService beats;
    private final Map<String, OptimizationJob> held = new ConcurrentHashMap<>();
    private volatile boolean closing;

    private OptimizationJobs(Builder b) {
        this.service = Objects.requireNonNull(b.service, "service");
        this.store = Objects.requireNonNull(b.store, "store");
        this.node = b.node;
        this.clock = b.clock;
        this.staleAfter = b.staleAfter;
        this.heartbeat = b.heartbeat;
        this.beats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("evolution-heartbeat").factory());
        long every = b.heartbeat.toMillis();
        beats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    public static Builder builder() { return new Builder(); }

    /** Starts an optimisation of {@code agent} for {@code owner} (null: an administrator); answers at once. */
    public OptimizationJob submit(String agent, OptimizeOptions options, String owner) {
        EvolutionService.Plan plan = service.plan(agent, options); // a client's mistake fails here, nothing recorded
        String id = "evo-" + UUID.randomUUID();
        OptimizationJob job = store.start(OptimizationJob.started(id, plan.agent().name(), owner,
                options.generations(), node, clock.instant()));
        run(job, listener -> service.optimize(plan, id, owner, listener));
        return job;
    }

    /** Starts again an optimisation that failed, was interrupted, or was started without a job (the CLI). */
    public OptimizationJob resume(String id, Caller caller) {
        service.requireEnabled();
        Optional<OptimizationJob> known = store.find(id);
        if (known.isPresent() && !caller.mayAccess(known.get().owner())) throw notFound(id);
        EvolutionService.Resumption r = service.planResume(id);
        OptimizationJob job = known.map(j -> j.runningOn(node, clock.instant()))
                .orElseGet(() -> OptimizationJob.started(id, r.agent().name(), caller.subject(), r.options().generations(),
                        node, clock.instant()));
        job = store.start(job);
        run(job, listener -> service.resume(r, listener));
        return job;
    }

    /** The job if {@code caller} may see it and it is of {@code agent}; a {@link NotFoundError} otherwise. */
    public OptimizationJob find(String agent, String id, Caller caller) {
        service.requireEnabled();
        return store.find(id).filter(j -> j.agent().equals(agent) && caller.mayAccess(j.owner()))
                .orElseThrow(() -> notFound(id));
    }

    /**
     * Takes over every running job whose heartbeat is older than {@code staleAfter} and resumes it; what cannot
     * resume is marked interrupted with the reason. Returns the jobs it took over, as they now are.
     */
    public List<OptimizationJob> recover() { return recover(staleAfter); }

    private List<OptimizationJob> recover(Duration stale) {
        List<OptimizationJob> out = new ArrayList<>();
        if (!service.enabled()) return out;
        for (OptimizationJob seen : store.running()) {
            if (held.containsKey(seen.id()) || seen.updatedAt().isAfter(clock.instant().minus(stale))) continue;
            if (!store.takeOver(seen, node, clock.instant())) continue; // alive after all, or another replica took it
            OptimizationJob job = seen.runningOn(node, clock.instant());
            try {
                EvolutionService.Resumption r = service.planResume(job.id());
                run(job, listener -> service.resume(r, listener));
                out.add(job);
            } catch (RuntimeException e) {
                String why = e instanceof SigilError s ? s.getMessage() + (s.hint() == null ? "" : " (" + s.hint() + ")") : e.toString();
                OptimizationJob stopped = job.ended(OptimizationJob.Status.INTERRUPTED, null, "Cut short by a crash or"
                        + " restart of " + seen.node() + " after generation " + seen.generation() + ", and it cannot go on"
                        + " by itself: " + why, clock.instant());
                store.update(stopped);
                out.add(stopped);
            }
        }
        return out;
    }

    private void run(OptimizationJob job, java.util.function.Function<EvolutionListener, EvolutionService.Run<OptimizationResult>> work) {
        held.put(job.id(), job);
        workers.execute(() -> {
            try {
                var run = work.apply(new EvolutionListener() {
                    @Override
                    public void generation(int generation, int generations) {
                        write(held.get(job.id()).progressed(generation, clock.instant()));
                    }
                });
                Map<String, Object> result = new LinkedHashMap<>(run.result().toMap());
                write(held.get(job.id()).ended(OptimizationJob.Status.COMPLETED, result, run.result().reason(), clock.instant()));
            } catch (RuntimeException e) {
                // Stopped by this process's shutdown: left running in the store, so the next start resumes it.
                if (closing) return;
                String why = e instanceof SigilError s ? s.display() : e.toString();
                write(held.get(job.id()).ended(OptimizationJob.Status.FAILED, null, why + " (resume it: POST /agents/"
                        + job.agent() + "/evolution/optimize {\"resume_id\": \"" + job.id() + "\"})", clock.instant()));
            } finally {
                held.remove(job.id());
            }
        });
    }

    private void write(OptimizationJob job) {
        if (held.containsKey(job.id())) held.put(job.id(), job);
        store.update(job);
    }

    private void beat() {
        for (OptimizationJob j : held.values()) {
            try {
                write(j.progressed(j.generation(), clock.instant()));
            } catch (RuntimeException e) {
                // the store is away: the next beat tries again; a replica sees the job as stale only after staleAfter
            }
        }
        try {
            // A replica that died while others run on: its jobs are taken over here too, not only at a start. Never
            // sooner than three missed heartbeats, so a job just started (not yet held) is never taken.
            Duration stale = staleAfter.compareTo(heartbeat.multipliedBy(3)) > 0 ? staleAfter : heartbeat.multipliedBy(3);
            for (OptimizationJob j : recover(stale)) {
                LOG.warn("Optimisation job {} of agent '{}' stopped beating on another process: {}", j.id(), j.agent(),
                        j.status() == OptimizationJob.Status.RUNNING ? "resumed here from generation " + j.generation() : j.reason());
            }
        } catch (RuntimeException e) {
            LOG.debug("Taking over stale optimisation jobs failed; the next heartbeat tries again", e);
        }
    }

    private static NotFoundError notFound(String id) {
        return new NotFoundError("No optimisation job '" + id + "'",
                "Use the job id that POST .../evolution/optimize answered, with the key that started it.");
    }

    /** Stops the heartbeat and the workers: their jobs stay running in the store, and the next start resumes them. */
    @Override
    public void close() {
        closing = true;
        beats.shutdownNow();
        workers.shutdownNow();
    }

    public static final class Builder {
        private EvolutionService service;
        private OptimizationJobStore store;
        private String node = "node-" + UUID.randomUUID();
        private Clock clock = Clock.systemUTC();
        private Duration staleAfter = Duration.ofMinutes(1);
        private Duration heartbeat = Duration.ofSeconds(10);

        public Builder service(EvolutionService v) { service = v; return this; }
        public Builder store(OptimizationJobStore v) { store = v; return this; }
        /** This process, as the jobs it runs name it. */
        public Builder node(String v) { node = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        /** A running job whose heartbeat is older is taken over by {@link #recover} (zero: every running job). */
        public Builder staleAfter(Duration v) { staleAfter = v; return this; }
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }

        public OptimizationJobs build() { return new OptimizationJobs(this); }
    }
}
