package io.sigil.evolution;

import java.util.Objects;

/** A proposed prompt and how it came about: {@code reflective}, {@code mutation:<operator>}, or {@code baseline}. */
public record Candidate(String prompt, String origin) {
    public Candidate {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(origin, "origin");
    }
}
