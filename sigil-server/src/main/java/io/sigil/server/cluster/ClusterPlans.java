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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Steering a plan that executes on another replica (pause, resume, abort through any replica, issue 19). The
 * request goes to every replica on {@link #CHANNEL}; the one executing the plan, if the caller may see it, applies
 * the action and answers on the requester's own reply channel. No answer within the wait: no replica executes it.
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
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("plan_id", planId);
            m.put("action", action);
            m.put("subject", caller.subject());
            m.put("admin", caller.admin());
            m.put("reply", replyChannel);
            String request = mapper.writeValueAsString(m);
            try {
                bus.publish(CHANNEL, request);
            } catch (RuntimeException e) {
                throw new Unreachable("the other replicas cannot be reached now: " + e.getMessage());
            }
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

    /** On the bus's thread: act only if the plan executes here; never block (the reply is pipelined). */
    private void requested(String message) {
        try {
            JsonNode m = mapper.readTree(message);
            boolean admin = m.path("admin").asBoolean();
            String subject = m.path("subject").isTextual() ? m.path("subject").asText() : null;
            Caller caller = new Caller(subject, admin);
            running.find(m.path("plan_id").asText(), caller).ifPresent(e -> {
                boolean ended = e.run().finished();
                if (!ended) control(m.path("action").asText()).accept(e.run());
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("session_id", e.sessionId());
                r.put("status", e.run().status().name().toLowerCase(Locale.ROOT));
                r.put("ended", ended);
                try {
                    bus.publishAsync(m.path("reply").asText(), mapper.writeValueAsString(r));
                } catch (IOException impossible) {
                    throw new IllegalStateException(impossible);
                }
            });
        } catch (IOException | RuntimeException e) {
            log.warn("Ignoring a malformed plan steering message: {}", e.toString());
        }
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
