package io.sigil.routing;

import java.util.List;

/**
 * How complex a request is and why: the four factors of sigil-design.md section 5 (each already capped at 1),
 * the words that drove them, the raw complexity (0.25 x their sum) and the value after the intent's multiplier
 * and cap.
 */
public record ComplexityAssessment(double lengthFactor, double toolFactor, double domainFactor,
                                   double decisionFactor, List<String> toolWords, List<String> domainWords,
                                   List<String> decisionWords, double raw, double multiplier, double cap,
                                   double complexity) {
    public ComplexityAssessment {
        toolWords = List.copyOf(toolWords);
        domainWords = List.copyOf(domainWords);
        decisionWords = List.copyOf(decisionWords);
    }
}
