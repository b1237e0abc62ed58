package io.sigil.guard;

/**
 * Text in the detector's canonical form, with the way back to the original.
 *
 * <p>{@code text} is NFKC-folded, lower case, free of invisible characters and diacritics, with look-alike letters
 * folded to ASCII, whitespace runs collapsed and de-spaced words ("i g n o r e" to "ignore") joined. Every char
 * of {@code text} remembers the range of the original it came from, so matches can be reported and removed in the
 * caller's own text.
 *
 * @param text          the canonical form
 * @param originalStart for each char of {@code text}, where its source starts in the original
 * @param originalEnd   for each char of {@code text}, where its source ends (exclusive) in the original
 * @param obfuscation   tricks found while normalizing (each one is suspicious in itself)
 */
public record NormalizedText(String text, int[] originalStart, int[] originalEnd, Obfuscation obfuscation) {

    /** Counts of the evasion tricks the normalizer undid: invisible characters splitting words, words whose
     *  look-alike letters were folded, spaced-out letter runs joined, digits read as letters. */
    public record Obfuscation(int invisibleInWords, int lookalikeWords, int spacedLetterRuns, int leetChars) {
        public static final Obfuscation NONE = new Obfuscation(0, 0, 0, 0);
    }

    /** Start in the original text of the normalized range starting at {@code from}. */
    public int originalStart(int from) {
        return originalStart.length == 0 ? 0 : originalStart[Math.min(from, originalStart.length - 1)];
    }

    /** End (exclusive) in the original text of the normalized range ending (exclusive) at {@code to}. */
    public int originalEnd(int to) {
        return to <= 0 ? 0 : originalEnd[Math.min(to, originalEnd.length) - 1];
    }
}
