package io.sigil.guard;

import java.util.List;

/**
 * The guard's decision on one user input.
 *
 * @param score     the detector's score in [0, 1]
 * @param threshold the score at or above which input counts as an injection
 * @param mode      the configured mode
 * @param action    what was done
 * @param signals   the evidence, strongest first (also reported when below the threshold)
 * @param text      the text to pass on: the input itself, or its sanitized form in {@link Action#SANITIZED}
 */
public record Verdict(double score, double threshold, InjectionMode mode, Action action, List<Signal> signals,
                      String text) {

    /** What the guard did with the input. */
    public enum Action {
        /** Below the threshold: passed on unchanged. */
        ALLOWED,
        /** An injection, passed on unchanged and reported (mode flag). */
        FLAGGED,
        /** An injection, rejected (mode block). */
        BLOCKED,
        /** An injection, passed on with the offending passages neutralised (mode sanitize). */
        SANITIZED
    }

    public Verdict {
        signals = List.copyOf(signals);
    }

    /** True when the score reached the threshold, whatever the mode did about it. */
    public boolean injection() {
        return action != Action.ALLOWED;
    }
}
