package io.sigil.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.cluster.ClusterBus;
import io.sigil.planning.PlanRun;
import io.sigil.planning.RunningPlans;
import io.sigil.sessions.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Plans that execute on other replicas (issue 19): steering one (pause, resume, abort through any replica) and
 * listing them all. A request goes to every replica on {@link #CHANNEL} and is answered on the requester's own reply
 * channel. Steering: the replica executing the plan, if the caller may see it, applies the action and answers; no
 * answer within the wait means no replica executes it. Listing: every replica answers with the plans it executes
 * that the caller may see (perhaps none), so the requester waits only until all the replicas it reached answered.
 */
public final class ClusterPlans implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterPlans.class);
    static final String CHANNEL = "plan-steer";
    public static final Duration WAIT = Duration.ofSeconds(2);

    /** The request could not be sent (Redis unreachable): whether another replica executes the plan is unknown. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message) { super(message); }
    }

    /** What the executing replica did: steered it (its status now) or found it already ended. */
    public record Steered(String sessionId, String status, boolean ended) { }

    /** A plan executing on some replica, as that replica reports it. */
    public record Executing(String planId, String sessionId, String goal, String status, Instant startedAt) { }

    /** The plans executing on the replicas that answered; {@code complete} is false when some did not in time. */
    public record Executions(List<Executing> plans, boolean complete) { }

    private static final String LIST = "list";

    private final RunningPlans running;
    private final ClusterBus bus;
    private final ObjectMapper mapper;
    private final ClusterBus.Subscription requests;

    public ClusterPlans(RunningPlans running, ClusterBus bus, ObjectMapper mapper) {
        this.running = running;
        this.bus = bus;
        this.mapper = mapper;
        this.requests = bus.subscribe(CHANNEL, this::requested);
    }

    /**
     * The action ({@code pause}, {@code resume}, {@code abort}, or {@code status}, which changes nothing) applied where
     * the plan executes; empty if nowhere.
     */
    public Optional<Steered> steer(String planId, Caller caller, String action, Duration wait) {
        control(action); // unknown actions fail here, not on the other replica
        String replyChannel = "plan-reply:" + UUID.randomUUID();
        CompletableFuture<String> reply = new CompletableFuture<>();
        try (ClusterBus.Subscription ignored = bus.subscribe(replyChannel, reply::complete)) {
            send(request(planId, action, caller, replyChannel));
            JsonNode r = mapper.readTree(reply.get(wait.toMillis(), TimeUnit.MILLISECONDS));
            return Optional.of(new Steered(r.path("session_id").asText(), r.path("status").asText(), r.path("ended").asBoolean()));
        } catch (TimeoutException none) {
            return Optional.empty();
        } catch (IOException | ExecutionException e) {
            throw new IllegalStateException("a plan steering message could not be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The plans executing on every replica (this one included) that {@code caller} may see, oldest first. Waits
     * until each replica the request reached has answered, or {@code wait} at most.
     */
    public Executions executing(Caller caller, Duration wait) {
        String replyChannel = "plan-reply:" + UUID.randomUUID();
        Map<String, Executing> found = new ConcurrentHashMap<>();
        Semaphore answers = new Semaphore(0);
        try (ClusterBus.Subscription ignored = bus.subscribe(replyChannel, r -> {
            collect(r, found);
            answers.release();
        })) {
            long reached = send(request(null, LIST, caller, replyChannel));
            boolean complete;
            if (reached == ClusterBus.UNKNOWN_REACH) {
                Thread.sleep(wait.toMillis()); // how many will answer is unknown: whoever does within the wait
                complete = false;
            } else {
                complete = answers.tryAcquire((int) Math.min(reached, Integer.MAX_VALUE), wait.toMillis(),
                        TimeUnit.MILLISECONDS);
                if (!complete) {
                    log.warn("Listing plans: {} of {} replicas answered within {}", answers.availablePermits(), reached, wait);
                }
            }
            return new Executions(found.values().stream().sorted(Comparator.comparing(Executing::startedAt)
                    .thenComparing(Executing::planId)).toList(), complete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Executions(List.of(), false);
        }
    }

    private void collect(String reply, Map<String, Executing> found) {
        try {
            for (JsonNode p : mapper.readTree(reply).path("plans")) {
                var e = new Executing(p.path("plan_id").asText(), p.path("session_id").asText(),
                        p.path("goal").asText(null), p.path("status").asText(), Instant.parse(p.path("started_at").asText()));
                found.putIfAbsent(e.planId(), e);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring a malformed plan list answer: {}", e.toString());
        }
    }

    private String request(String planId, String action, Caller caller, String replyChannel) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (planId != null) m.put("plan_id", planId);
        m.put("action", action);
        m.put("subject", caller.subject());
        m.put("admin", caller.admin());
        m.put("reply", replyChannel);
        try {
            return mapper.writeValueAsString(m);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** To every replica: how many it reached. */
    private long send(String request) {
        try {
            return bus.publishCounted(CHANNEL, request);
        } catch (RuntimeException e) {
            throw new Unreachable("the other replicas cannot be reached now: " + e.getMessage());
        }
    }

    /** On the bus's thread: act only if the plan executes here; never block (the reply is pipelined). */
    private void requested(String message) {
        try {
            JsonNode m = mapper.readTree(message);
            boolean admin = m.path("admin").asBoolean();
            String subject = m.path("subject").isTextual() ? m.path("subject").asText() : null;
            Caller caller = new Caller(subject, admin);
            String action = m.path("action").asText();
            String replyChannel = m.path("reply").asText();
            if (action.equals(LIST)) {
                reply(replyChannel, Map.of("plans", running.visibleTo(caller).stream().map(ClusterPlans::listed).toList()));
                return;
            }
            running.find(m.path("plan_id").asText(), caller).ifPresent(e -> {
                boolean ended = e.run().finished();
                if (!ended) control(action).accept(e.run());
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("session_id", e.sessionId());
                r.put("status", status(e));
                r.put("ended", ended);
                reply(replyChannel, r);
            });
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring a malformed plan steering message: {}", e.toString());
        }
    }

    private void reply(String channel, Map<String, Object> answer) {
        try {
            bus.publishAsync(channel, mapper.writeValueAsString(answer));
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static Map<String, Object> listed(RunningPlans.Entry e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("plan_id", e.plan().planId());
        p.put("session_id", e.sessionId());
        p.put("goal", e.plan().goal());
        p.put("status", status(e));
        p.put("started_at", e.startedAt().toString());
        return p;
    }

    private static String status(RunningPlans.Entry e) {
        return e.run().status().name().toLowerCase(Locale.ROOT);
    }

    private static Consumer<PlanRun> control(String action) {
        return switch (action) {
            case "pause" -> PlanRun::pause;
            case "resume" -> PlanRun::resume;
            case "abort" -> PlanRun::abort;
            case "status" -> run -> { };
            default -> throw new IllegalArgumentException("unknown plan action '" + action + "'");
        };
    }

    @Override
    public void close() { requests.close(); }
}
