package io.sigil.server.runs;

import io.sigil.orchestrator.RunResponse;
import io.sigil.routing.RouteDecision;
import io.sigil.server.routing.RouteExplanation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one wire form of a {@link RunResponse}: the API's response body, the WebSocket and SSE {@code complete}
 * message and {@code sigil run --json} all use it, so a response reads the same everywhere: snake_case members,
 * lower-case values ({@code "status": "success"}, {@code "intent": "general_chat"}), and the route's
 * {@code factors} exactly as {@code sigil route --json} shows them.
 */
public final class RunResponseJson {
    private RunResponseJson() { }

    public static Map<String, Object> toJson(RunResponse r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("request_id", r.requestId());
        m.put("session_id", r.sessionId());
        m.put("status", r.status().wireName());
        m.put("output", r.output());
        m.put("answer", r.answerText());
        if (r.routeDecision() != null) m.put("route", route(r.routeDecision()));
        if (r.planId() != null) m.put("plan_id", r.planId());
        if (r.contract() != null) {
            m.put("contract", RouteExplanation.obj("name", r.contract().name(), "outcome", r.contract().outcome(),
                    "attempts", r.contract().attempts(), "errors", r.contract().errors()));
        }
        m.put("tokens_used", r.tokensUsed());
        m.put("execution_time_ms", r.executionTimeMs());
        m.put("errors", r.errors());
        m.put("warnings", r.warnings());
        m.put("metadata", new java.util.TreeMap<>(r.metadata()));
        return m;
    }

    /** A route decision without its reasons (progress messages). */
    public static Map<String, Object> routeSummary(RouteDecision d) {
        return RouteExplanation.obj("intent", d.intent().wireName(), "confidence", RouteExplanation.round(d.confidence()),
                "complexity", RouteExplanation.round(d.complexity()), "handler", d.handler(),
                "use_planning", d.usePlanning(), "use_memory", d.useMemory(), "use_contracts", d.useContracts());
    }

    /** A route decision with its reasons, as in {@code sigil route --json}. */
    public static Map<String, Object> route(RouteDecision d) {
        Map<String, Object> m = routeSummary(d);
        m.put("factors", RouteExplanation.factors(d.factors()));
        return m;
    }
}
