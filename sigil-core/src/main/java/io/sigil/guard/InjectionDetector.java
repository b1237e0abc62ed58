package io.sigil.guard;

/**
 * Port: scores a text for prompt injection. The built-in adapter is {@link RuleBasedDetector}; a model-based
 * detector (a classifier or an LLM judge) implements the same interface and can be combined with it.
 */
public interface InjectionDetector {

    /** Scores {@code text}; never throws for any input, including empty or huge text. */
    Detection detect(String text);

    /** The score at or above which this detector's scores count as an injection. */
    double threshold();

    /**
     * Every passage of {@code text} that contributed to the score, for sanitizing. The default is the signals of
     * {@link #detect}; a detector that cannot point at passages returns none, and the whole input is dropped.
     */
    default java.util.List<Signal> passages(String text) {
        return detect(text).signals();
    }
}
