package io.sigil.routing;

import java.util.Objects;

/**
 * Where a request goes and what it needs (sigil-design.md section 5). The {@code use*} flags say what this
 * request calls for: planning when complexity &gt; 0.5, memory for agent and memory intents, contracts when
 * complexity &gt; 0.7. The orchestrator still applies the deployment's feature flags on top.
 */
public record RouteDecision(Intent intent, double confidence, double complexity, String handler,
                            boolean usePlanning, boolean useMemory, boolean useContracts, RouteFactors factors) {
    public static final double PLANNING_THRESHOLD = 0.5;
    public static final double CONTRACTS_THRESHOLD = 0.7;

    public RouteDecision {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(factors, "factors");
        if (confidence < 0 || confidence > 1) throw new IllegalArgumentException("confidence must be in 0..1");
        if (complexity < 0 || complexity > 1) throw new IllegalArgumentException("complexity must be in 0..1");
    }

    /** Applies the design's subsystem rules to an intent and complexity. */
    public static RouteDecision of(Intent intent, double confidence, ComplexityAssessment complexity,
                                   RouteFactors factors) {
        double c = complexity.complexity();
        return new RouteDecision(intent, confidence, c, intent.handler(), c > PLANNING_THRESHOLD,
                intent.needsMemory(), c > CONTRACTS_THRESHOLD, factors);
    }
}
