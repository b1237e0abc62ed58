package io.sigil.guard;

import java.util.List;

/**
 * What a detector found in one text.
 *
 * @param score   likelihood-like score in [0, 1]; 0 when nothing fired
 * @param signals the evidence, strongest first
 */
public record Detection(double score, List<Signal> signals) {
    public static final Detection CLEAN = new Detection(0, List.of());

    public Detection {
        if (score < 0 || score > 1) throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        signals = List.copyOf(signals);
    }
}
