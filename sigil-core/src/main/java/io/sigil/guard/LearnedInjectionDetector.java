package io.sigil.guard;

import io.sigil.memory.Embedder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * The default detector: a logistic head over the rule score, the rule families that fired and the sentence
 * embedding of the text ({@link GuardFeatures}). It catches injections the rules have no pattern for (role-play
 * set-ups, persona and opinion requests phrased as questions) while the rules' own catches always stand.
 *
 * <p>The score is the head's probability, raised to at least the threshold when the rules flag the text, so the
 * learned detector never passes what the rule detector would stop. The explanation is the rules' signals; when
 * only the learned part fired there is no passage to point at, {@link #passages} is empty and mode sanitize
 * drops the whole text.
 *
 * <p>The embedder is used lazily (the first screened text loads the model) and should be the one memory uses
 * ({@link io.sigil.memory.CachingEmbedder}), so a message is embedded once for both.
 */
public final class LearnedInjectionDetector implements InjectionDetector {
    private static final Logger log = LoggerFactory.getLogger(LearnedInjectionDetector.class);

    private final GuardHead head;
    private final GuardFeatures features;

    public LearnedInjectionDetector(GuardHead head, Embedder embedder) {
        this(head, new GuardFeatures(new RuleBasedDetector(new TextNormalizer(), InjectionLexicon.rules(),
                head.ruleThreshold()), embedder));
    }

    LearnedInjectionDetector(GuardHead head, GuardFeatures features) {
        this.head = Objects.requireNonNull(head, "head");
        this.features = Objects.requireNonNull(features, "features");
    }

    /** The built-in head over {@code embedder}. */
    public static LearnedInjectionDetector builtIn(Embedder embedder) {
        return new LearnedInjectionDetector(GuardHead.builtIn(), embedder);
    }

    public GuardHead head() {
        return head;
    }

    @Override
    public double threshold() {
        return head.threshold();
    }

    /**
     * Scores {@code text}. Should the embedder fail (a broken model file, out of memory), the rules decide alone
     * and the failure is logged: screening must never stop a request.
     */
    @Override
    public Detection detect(String text) {
        String input = text == null ? "" : text;
        try {
            GuardFeatures.Row row = features.row(input);
            return new Detection(score(head, row), row.rules().signals());
        } catch (RuntimeException e) {
            log.warn("the learned injection detector could not embed a text ({}); the rules judged it alone", e.toString());
            Detection rules = features.rules().detect(input);
            boolean fired = rules.score() >= head.ruleThreshold();
            return new Detection(fired ? Math.max(rules.score(), head.threshold()) : 0, rules.signals());
        }
    }

    /** The learned score of a feature row: the head's probability, at least the threshold when the rules flag it. */
    static double score(GuardHead head, GuardFeatures.Row row) {
        double p = head.probability(row.values());
        return row.rules().score() >= head.ruleThreshold() ? Math.max(p, head.threshold()) : p;
    }

    /** The passages the rules flagged; none when the rules alone would not flag the text. */
    @Override
    public List<Signal> passages(String text) {
        RuleBasedDetector rules = features.rules();
        return rules.detect(text).score() >= rules.threshold() ? rules.passages(text) : List.of();
    }
}
