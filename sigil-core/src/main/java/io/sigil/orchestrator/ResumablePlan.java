package io.sigil.orchestrator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigil.events.EventType;
import io.sigil.events.RecordedEvent;
import io.sigil.llm.Usage;
import io.sigil.planning.Plan;
import io.sigil.planning.PlanJson;
import io.sigil.planning.StepResult;
import io.sigil.planning.StepStatus;
import io.sigil.sessions.SessionManager;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan of the session that was interrupted (a crash, a kill) before it completed, rebuilt from its
 * checkpoints: plan.created gives the plan, step.completed events the finished steps and their outputs. Running
 * the same request again in the session resumes it without repeating finished steps.
 */
record ResumablePlan(Plan plan, Map<String, StepResult> completed) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The session's unfinished plan for this goal, or null. */
    static ResumablePlan find(SessionManager sessions, String sessionId, String goal) {
        List<RecordedEvent> events = sessions.events(sessionId, null);
        Plan plan = null;
        Map<String, StepResult> done = new LinkedHashMap<>();
        for (RecordedEvent e : events) {
            String type = e.eventType();
            Map<String, Object> p = e.event().payload();
            if (type.equals(EventType.PLAN_CREATED.wireName())) {
                try {
                    plan = PlanJson.fromJson(JSON.valueToTree(p));
                } catch (RuntimeException bad) {
                    plan = null; // an older or foreign plan.created: not ours to resume
                }
                done.clear();
            } else if (type.equals(EventType.STEP_COMPLETED.wireName()) && plan != null
                    && plan.planId().equals(p.get("plan_id")) && "completed".equals(p.get("status"))) {
                String id = String.valueOf(p.get("step_id"));
                done.put(id, new StepResult(id, StepStatus.COMPLETED, String.valueOf(p.getOrDefault("output", "")),
                        Usage.of(number(p.get("input_tokens")), number(p.get("output_tokens"))),
                        (int) number(p.get("attempts")), null, Duration.ofMillis(number(p.get("duration_ms")))));
            } else if (type.equals(EventType.PLAN_COMPLETED.wireName()) && plan != null
                    && plan.planId().equals(p.get("plan_id"))) {
                plan = null;
                done.clear();
            }
        }
        if (plan == null || !plan.goal().equals(goal)) return null;
        return new ResumablePlan(plan, Map.copyOf(done));
    }

    private static long number(Object o) { return o instanceof Number n ? n.longValue() : 0; }
}
