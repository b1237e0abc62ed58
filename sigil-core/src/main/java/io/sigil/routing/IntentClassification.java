package io.sigil.routing;

import java.util.List;
import java.util.Map;

/**
 * The keyword classifier's verdict and how it got there: the score of every intent that matched and the
 * keywords that matched it (empty maps for the empty-input and slash-command shortcuts).
 */
public record IntentClassification(Intent intent, double confidence, Map<Intent, Double> scores,
                                   Map<Intent, List<String>> matchedKeywords, String rule) {
    public IntentClassification {
        scores = Map.copyOf(scores);
        matchedKeywords = Map.copyOf(matchedKeywords);
    }

    static final String EMPTY_INPUT = "empty input";
    static final String SLASH_COMMAND = "slash command";

    /** Empty input and slash commands: the design fixes the answer, so no model is asked. */
    public boolean fixedByRule() { return rule.equals(EMPTY_INPUT) || rule.equals(SLASH_COMMAND); }
}
