package io.sigil.server.plans;

import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plans of one session as its events record them: plan.created gives the steps, step.started and
 * step.completed their progress, plan.completed the end. A plan whose run is still going (or was interrupted by
 * a crash) has no plan.completed and reads as {@code running}; the live status comes from {@code RunningPlans}.
 */
final class PlanHistory {
    private PlanHistory() { }

    /** One step as recorded. */
    record StepRecord(String stepId, String description, String type, List<String> dependsOn, String status,
                      int attempts, String error, Long durationMs, Long inputTokens, Long outputTokens) { }

    /** One plan as recorded in {@code sessionId}. */
    record PlanRecord(String planId, String sessionId, String goal, Instant createdAt, String status,
                      List<StepRecord> steps, Long totalTokens, Double durationSeconds, List<String> errors) {
        PlanRecord withStatus(String s) {
            return new PlanRecord(planId, sessionId, goal, createdAt, s, steps, totalTokens, durationSeconds, errors);
        }
    }

    /** Every plan of the session, in the order they were created. */
    static List<PlanRecord> of(String sessionId, List<RecordedEvent> events) {
        Map<String, Building> plans = new LinkedHashMap<>();
        for (RecordedEvent r : events) {
            Map<String, Object> p = r.event().payload();
            String type = r.event().eventType();
            String planId = text(p.get("plan_id"));
            if (planId == null) continue;
            if (type.equals(EventType.PLAN_CREATED.wireName())) {
                plans.put(planId, Building.created(planId, p, r.event().timestamp()));
                continue;
            }
            Building b = plans.get(planId);
            if (b == null) continue; // progress of a plan whose creation is not in this session: nothing to attach to
            if (type.equals(EventType.STEP_STARTED.wireName())) b.started(p);
            else if (type.equals(EventType.STEP_COMPLETED.wireName())) b.completed(p);
            else if (type.equals(EventType.PLAN_COMPLETED.wireName())) b.ended(p);
        }
        return plans.values().stream().map(b -> b.build(sessionId)).toList();
    }

    private static String text(Object o) { return o == null ? null : o.toString(); }

    private static Long number(Object o) { return o instanceof Number n ? n.longValue() : null; }

    /** Mutable while the events are folded; a record once built. */
    private static final class Building {
        final String planId;
        final String goal;
        final Instant createdAt;
        final Map<String, StepRecord> steps = new LinkedHashMap<>();
        String status = "running";
        Long totalTokens;
        Double duration;
        List<String> errors = List.of();

        private Building(String planId, String goal, Instant createdAt) {
            this.planId = planId;
            this.goal = goal;
            this.createdAt = createdAt;
        }

        @SuppressWarnings("unchecked")
        static Building created(String planId, Map<String, Object> p, Instant at) {
            Building b = new Building(planId, text(p.get("goal")), at);
            if (p.get("steps") instanceof List<?> list) {
                for (Object o : list) {
                    if (!(o instanceof Map<?, ?> m)) continue;
                    Map<String, Object> s = (Map<String, Object>) m;
                    String id = text(s.containsKey("id") ? s.get("id") : s.get("step_id"));
                    if (id == null) continue;
                    List<String> deps = s.get("depends_on") instanceof List<?> d ? d.stream().map(Object::toString).toList() : List.of();
                    b.steps.put(id, new StepRecord(id, text(s.get("description")), text(s.get("type")), deps, "pending",
                            0, null, null, null, null));
                }
            }
            return b;
        }

        void started(Map<String, Object> p) {
            StepRecord s = steps.get(text(p.get("step_id")));
            if (s == null) return;
            Long attempt = number(p.get("attempt"));
            steps.put(s.stepId(), new StepRecord(s.stepId(), s.description(), s.type(), s.dependsOn(), "running",
                    attempt == null ? s.attempts() + 1 : attempt.intValue(), s.error(), null, null, null));
        }

        void completed(Map<String, Object> p) {
            StepRecord s = steps.get(text(p.get("step_id")));
            if (s == null) return;
            Long attempts = number(p.get("attempts"));
            steps.put(s.stepId(), new StepRecord(s.stepId(), s.description(), s.type(), s.dependsOn(),
                    text(p.get("status")), attempts == null ? s.attempts() : attempts.intValue(), text(p.get("error")),
                    number(p.get("duration_ms")), number(p.get("input_tokens")), number(p.get("output_tokens"))));
        }

        void ended(Map<String, Object> p) {
            status = p.get("status") == null ? "completed" : p.get("status").toString();
            totalTokens = number(p.get("total_tokens"));
            duration = p.get("duration") instanceof Number n ? n.doubleValue() : null;
            errors = p.get("errors") instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of();
            if (!status.equals("completed")) {
                // Steps that never finished were skipped by the end of the plan.
                for (StepRecord s : new ArrayList<>(steps.values())) {
                    if (s.status().equals("pending") || s.status().equals("running")) {
                        steps.put(s.stepId(), new StepRecord(s.stepId(), s.description(), s.type(), s.dependsOn(),
                                "skipped", s.attempts(), s.error(), s.durationMs(), s.inputTokens(), s.outputTokens()));
                    }
                }
            }
        }

        PlanRecord build(String sessionId) {
            return new PlanRecord(planId, sessionId, goal, createdAt, status, List.copyOf(steps.values()), totalTokens,
                    duration, errors);
        }
    }
}
