package io.sigil.reasoning;

import java.util.Objects;

/**
 * One line of a reasoning trace. {@code kind} says what it is: step, approach, score, thought, action,
 * observation, simulation, path, answer, note (notes record decisions such as a neutral score or a budget cut).
 */
public record TraceEntry(String kind, String text) {
    public TraceEntry {
        Objects.requireNonNull(kind, "kind");
        text = text == null ? "" : text;
    }

    @Override
    public String toString() { return kind + ": " + text; }
}
