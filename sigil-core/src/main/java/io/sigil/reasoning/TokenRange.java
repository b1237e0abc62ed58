package io.sigil.reasoning;

/** The tokens a strategy needs at least to be useful ({@code min}) and may spend at most ({@code max}). */
public record TokenRange(long min, long max) {
    public TokenRange {
        if (min < 1 || max < min) throw new IllegalArgumentException("need 1 <= min <= max, got " + min + ".." + max);
    }
}
