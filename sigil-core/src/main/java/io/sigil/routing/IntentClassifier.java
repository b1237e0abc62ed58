package io.sigil.routing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keyword intent classifier (sigil-design.md section 5).
 *
 * <p>Score per intent = sum of matched weights x (1 + 0.1 x (matches - 1)), counting each keyword once.
 * Confidence = min(min(best/3, 1) + min((best - second)/2, 0.2), 1). Empty input is general chat with
 * confidence 1, {@code ^/\w+} a system command with confidence 1, no match general chat with 0.8.
 * Ties go to the intent listed first in the design (create, run, query, modify, system).
 */
public final class IntentClassifier {
    private static final Pattern SLASH_PATTERN = Pattern.compile("^/\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    public IntentClassification classify(String text) {
        String input = text == null ? "" : text.strip();
        if (input.isEmpty()) {
            return new IntentClassification(Intent.GENERAL_CHAT, 1.0, Map.of(), Map.of(), IntentClassification.EMPTY_INPUT);
        }
        if (SLASH_PATTERN.matcher(input).find()) {
            return new IntentClassification(Intent.SYSTEM_COMMAND, 1.0, Map.of(),
                    Map.of(Intent.SYSTEM_COMMAND, List.of(input.split("\\s+", 2)[0])), IntentClassification.SLASH_COMMAND);
        }
        Map<Intent, Double> scores = new EnumMap<>(Intent.class);
        Map<Intent, List<String>> matched = new EnumMap<>(Intent.class);
        String folded = IntentKeywords.fold(input);
        IntentKeywords.WEIGHTS.forEach((intent, keywords) -> {
            List<String> hits = new ArrayList<>();
            double sum = 0;
            if (intent == Intent.SYSTEM_COMMAND && input.startsWith("/")) {
                hits.add(IntentKeywords.LEADING_SLASH);
                sum += IntentKeywords.LEADING_SLASH_WEIGHT;
            }
            for (IntentKeywords.Keyword k : keywords) {
                if (k.matches(input, folded)) {
                    hits.add(k.text());
                    sum += k.weight();
                }
            }
            if (!hits.isEmpty()) {
                scores.put(intent, sum * (1 + 0.1 * (hits.size() - 1)));
                matched.put(intent, List.copyOf(hits));
            }
        });
        if (scores.isEmpty()) {
            return new IntentClassification(Intent.GENERAL_CHAT, 0.8, Map.of(), Map.of(), "no keyword matched");
        }
        Intent best = null;
        double bestScore = 0;
        double second = 0;
        for (Intent intent : IntentKeywords.WEIGHTS.keySet()) {
            double s = scores.getOrDefault(intent, 0.0);
            if (best == null || s > bestScore) {
                second = best == null ? 0 : bestScore;
                best = intent;
                bestScore = s;
            } else if (s > second) {
                second = s;
            }
        }
        double confidence = Math.min(Math.min(bestScore / 3, 1) + Math.min((bestScore - second) / 2, 0.2), 1);
        return new IntentClassification(best, confidence, scores, matched, "keyword scores");
    }
}
