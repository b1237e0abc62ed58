package io.sigil.server.routing;

import io.sigil.config.Settings;
import io.sigil.routing.ComplexityAssessment;
import io.sigil.routing.Intent;
import io.sigil.routing.RouteDecision;
import io.sigil.routing.RouteFactors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RouteDecision} as JSON with its reasons: intent scores and matched keywords, the complexity factors and
 * their words, which subsystems it calls for and whether the deployment has them on. Shared by {@code sigil route
 * --json} and {@code POST /route}.
 */
public final class RouteExplanation {
    private RouteExplanation() { }

    public static Map<String, Object> toJson(RouteDecision d, Settings.Features features) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("intent", d.intent().wireName());
        m.put("confidence", round(d.confidence()));
        m.put("complexity", round(d.complexity()));
        m.put("handler", d.handler());
        m.put("use_planning", d.usePlanning());
        m.put("use_memory", d.useMemory());
        m.put("use_contracts", d.useContracts());
        m.put("factors", factors(d.factors()));
        m.put("features_enabled", obj("planning", features.planning(), "memory", features.memory(),
                "contracts", features.contracts()));
        return m;
    }

    /**
     * Why the router decided as it did, the same object wherever a route is shown ({@code sigil route --json},
     * {@code POST /route}, a run's {@code route}).
     */
    public static Map<String, Object> factors(RouteFactors f) {
        Map<String, Object> factors = new LinkedHashMap<>();
        factors.put("router", f.router());
        factors.put("rule", f.rule());
        Map<String, Object> scores = new LinkedHashMap<>();
        for (Intent i : Intent.values()) {
            if (f.intentScores().containsKey(i) || f.matchedKeywords().containsKey(i)) {
                Double score = f.intentScores().get(i);
                scores.put(i.wireName(), score == null
                        ? obj("keywords", f.matchedKeywords().get(i))
                        : obj("score", round(score), "keywords", f.matchedKeywords().getOrDefault(i, List.of())));
            }
        }
        factors.put("intent_scores", scores);
        ComplexityAssessment c = f.complexity();
        if (c == null) { // a router of the application's own that scores no complexity factors
            if (f.note() != null) factors.put("note", f.note());
            return factors;
        }
        Map<String, Object> cx = new LinkedHashMap<>();
        cx.put("length", round(c.lengthFactor()));
        cx.put("tools", obj("factor", round(c.toolFactor()), "words", c.toolWords()));
        cx.put("domain", obj("factor", round(c.domainFactor()), "words", c.domainWords()));
        cx.put("decisions", obj("factor", round(c.decisionFactor()), "words", c.decisionWords()));
        cx.put("raw", round(c.raw()));
        cx.put("multiplier", c.multiplier());
        cx.put("cap", c.cap());
        factors.put("complexity", cx);
        if (f.note() != null) factors.put("note", f.note());
        return factors;
    }

    /** An insertion-ordered JSON object from key, value pairs. */
    public static Map<String, Object> obj(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    public static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
