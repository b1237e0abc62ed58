package io.sigil.routing;

import java.util.List;
import java.util.Map;

/**
 * Why a route was chosen: which router decided ({@code keyword} or {@code llm}), the rule that applied, the
 * keyword scores and matches, the complexity factors, and a note (for example why LLM routing fell back).
 */
public record RouteFactors(String router, String rule, Map<Intent, Double> intentScores,
                           Map<Intent, List<String>> matchedKeywords, ComplexityAssessment complexity, String note) {
    public RouteFactors {
        intentScores = Map.copyOf(intentScores);
        matchedKeywords = Map.copyOf(matchedKeywords);
    }
}
