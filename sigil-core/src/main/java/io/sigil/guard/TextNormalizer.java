package io.sigil.guard;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;

/**
 * Brings text into the canonical form the detector matches on, undoing the usual evasion tricks: compatibility
 * forms (NFKC: fullwidth, math alphanumerics, ligatures), invisible and zero-width characters, diacritics,
 * Cyrillic and Greek look-alikes of Latin letters, case, typographic quotes and dashes, whitespace runs, junk
 * inside words ("ig*nore"), digits standing for letters ("ign0re") and letters spaced apart ("i g n o r e").
 *
 * <p>Look-alikes are folded only where the text is mainly Latin or the word mixes scripts, so genuine Russian or
 * Greek text keeps its letters. Stateless and thread-safe.
 */
public final class TextNormalizer {

    /** Fewest single letters in a row, with one separator between them, that count as a spaced-out word. */
    private static final int MIN_SPACED_LETTERS = 4;

    public NormalizedText normalize(String original) {
        var folded = new Buffer(original.length() + 8);
        int invisible = foldCharacters(original, folded);
        int lookalikes = foldLookalikes(folded);
        Buffer cleaned = dropJunkInsideWords(folded);
        int leet = foldLeet(cleaned);
        var spaced = new int[1];
        Buffer joined = joinSpacedLetters(cleaned, spaced);
        unscrambleKeywords(joined);
        joined.trim();
        return new NormalizedText(new String(joined.chars, 0, joined.length),
                Arrays.copyOf(joined.starts, joined.length), Arrays.copyOf(joined.ends, joined.length),
                new NormalizedText.Obfuscation(invisible, lookalikes, spaced[0], leet));
    }

    /** Pass 1: per code point compatibility folding, mark stripping, case; whitespace collapsed. */
    private static int foldCharacters(String s, Buffer out) {
        int invisible = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int end = i + Character.charCount(cp);
            if (isNewline(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                out.space(isNewline(cp) ? '\n' : ' ', i, end);
            } else if (isInvisible(cp)) {
                // Only invisibles splitting a word are evasion; emoji sequences use joiners legitimately.
                if (out.length > 0 && isAsciiLetter(out.chars[out.length - 1]) && end < s.length()
                        && isAsciiLetter(Character.toLowerCase(s.charAt(end)))) invisible++;
            } else if (cp < 0x80) {
                out.add(Character.toLowerCase((char) cp), i, end);
            } else {
                appendFolded(cp, i, end, out);
            }
            i = end;
        }
        return invisible;
    }

    private static void appendFolded(int cp, int start, int end, Buffer out) {
        String single = new String(Character.toChars(cp));
        String decomposed = Normalizer.normalize(single, Normalizer.Form.NFKD);
        String base;
        if (stripsMarks(decomposed)) {
            // Accents are dropped only on Latin, Greek and Cyrillic: elsewhere (kana voicing, Indic vowel signs)
            // marks change the word.
            var kept = new StringBuilder(decomposed.length());
            for (int k = 0; k < decomposed.length(); k++) {
                char c = decomposed.charAt(k);
                int type = Character.getType(c);
                if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                        || type == Character.COMBINING_SPACING_MARK) continue;
                kept.append(c);
            }
            base = kept.toString();
        } else {
            base = Normalizer.normalize(single, Normalizer.Form.NFKC);
        }
        for (int k = 0; k < base.length(); k++) {
            char c = base.charAt(k);
            char punct = Lookalikes.punctuation(c);
            if (punct != 0) {
                out.add(punct, start, end);
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                out.space(' ', start, end);
            } else if (c == 'ß' || c == 'ẞ') {
                out.add('s', start, end);
                out.add('s', start, end);
            } else {
                char latin = Lookalikes.latin(c);
                // Keep the look-alike for now (pass 2 decides per word) but remember its case-folded form.
                out.add(latin != 0 ? c : Character.toLowerCase(c), start, end);
            }
        }
    }

    private static boolean stripsMarks(String decomposed) {
        if (decomposed.isEmpty()) return false;
        var script = Character.UnicodeScript.of(decomposed.codePointAt(0));
        return script == Character.UnicodeScript.LATIN || script == Character.UnicodeScript.GREEK
                || script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.COMMON
                || script == Character.UnicodeScript.INHERITED;
    }

    /** Pass 2: Cyrillic/Greek look-alikes to Latin in mixed-script words, or everywhere if the text is mainly Latin. */
    private static int foldLookalikes(Buffer b) {
        int latin = 0;
        int foreign = 0;
        for (int i = 0; i < b.length; i++) {
            char c = b.chars[i];
            if (c >= 'a' && c <= 'z') latin++;
            else if (Character.isLetter(c)) foreign++;
        }
        if (foreign == 0) return 0;
        boolean mainlyLatin = latin > foreign;
        int folded = 0;
        for (int w = 0; w < b.length; ) {
            if (b.chars[w] == ' ' || b.chars[w] == '\n') { w++; continue; }
            int end = w;
            boolean hasLatin = false;
            while (end < b.length && b.chars[end] != ' ' && b.chars[end] != '\n') {
                char c = b.chars[end];
                hasLatin |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                end++;
            }
            boolean fold = hasLatin || mainlyLatin;
            boolean foldedHere = false;
            for (int i = w; i < end; i++) {
                char c = b.chars[i];
                char l = Lookalikes.latin(c);
                if (l == 0) continue;
                if (fold) { b.chars[i] = l; foldedHere = true; } else b.chars[i] = Character.toLowerCase(c);
            }
            if (foldedHere) folded++;
            w = end;
        }
        return folded;
    }

    /** Pass 3: separators pushed inside a word to break matching ("ig*nore", "ig_nore") are dropped. */
    private static Buffer dropJunkInsideWords(Buffer b) {
        var out = new Buffer(b.length);
        for (int i = 0; i < b.length; i++) {
            char c = b.chars[i];
            if (isJunk(c) && i > 0 && i + 1 < b.length && isLetter(b.chars[i - 1]) && isLetter(b.chars[i + 1])) {
                out.extendLast(b.ends[i]);
                continue;
            }
            out.add(c, b.starts[i], b.ends[i]);
        }
        return out;
    }

    /** Pass 4: digits and symbols written for letters, only where they touch a letter ("ign0re", not "1+1"). */
    private static int foldLeet(Buffer b) {
        int count = 0;
        for (int i = 0; i < b.length; i++) {
            char l = leet(b.chars[i]);
            if (l == 0) continue;
            boolean before = i > 0 && isLetter(b.chars[i - 1]);
            boolean after = i + 1 < b.length && isLetter(b.chars[i + 1]);
            if (before || after) { b.chars[i] = l; count++; }
        }
        return count;
    }

    /** Pass 5: "i g n o r e" and "i.g.n.o.r.e" become "ignore". */
    private static Buffer joinSpacedLetters(Buffer b, int[] runs) {
        var out = new Buffer(b.length);
        int i = 0;
        while (i < b.length) {
            int letters = spacedRunLength(b, i);
            if (letters >= MIN_SPACED_LETTERS) {
                runs[0]++;
                for (int k = 0; k < letters; k++) {
                    int at = i + 2 * k;
                    out.add(b.chars[at], b.starts[at], b.ends[at]);
                    if (k + 1 < letters) out.extendLast(b.ends[at + 1]);
                }
                i += 2 * letters - 1;
            } else {
                out.add(b.chars[i], b.starts[i], b.ends[i]);
                i++;
            }
        }
        return out;
    }

    /**
     * Words whose inner letters are shuffled ("ignroe all prevoius insturctions") are still read by language models;
     * a word with the same first and last letter and the same letters as a keyword becomes that keyword.
     */
    private static final java.util.Map<String, List<String>> SCRAMBLE_KEYS = scrambleKeys(
            "ignore", "ignoring", "previous", "instructions", "instruction", "disregard", "forget", "everything",
            "prompt", "system", "reveal", "override", "bypass", "jailbreak", "developer", "guidelines", "restrictions",
            "ignoriere", "ignorieren", "vergiss", "vorherigen", "bisherigen", "anweisungen");

    private static java.util.Map<String, List<String>> scrambleKeys(String... words) {
        var map = new java.util.HashMap<String, List<String>>();
        for (String w : words) map.computeIfAbsent(scrambleKey(w), k -> new java.util.ArrayList<>()).add(w);
        return java.util.Map.copyOf(map);
    }

    private static String scrambleKey(CharSequence w) {
        char[] inner = w.subSequence(1, w.length() - 1).toString().toCharArray();
        Arrays.sort(inner);
        return w.charAt(0) + new String(inner) + w.charAt(w.length() - 1) + w.length();
    }

    private static void unscrambleKeywords(Buffer b) {
        int i = 0;
        while (i < b.length) {
            if (!isAsciiLetter(b.chars[i])) { i++; continue; }
            int end = i;
            while (end < b.length && isAsciiLetter(b.chars[end])) end++;
            if (end - i >= 6) {
                var word = new String(b.chars, i, end - i);
                List<String> keys = SCRAMBLE_KEYS.get(scrambleKey(word));
                if (keys != null && !keys.contains(word)) keys.getFirst().getChars(0, end - i, b.chars, i);
            }
            i = end;
        }
    }

    /** Number of single letters starting at {@code i}, each followed by the same one-char separator. */
    private static int spacedRunLength(Buffer b, int i) {
        if (!isLetter(b.chars[i]) || (i > 0 && isLetter(b.chars[i - 1]))) return 0;
        if (i + 1 >= b.length || !isSpacer(b.chars[i + 1])) return 0;
        char sep = b.chars[i + 1];
        int n = 1;
        int at = i + 2;
        while (at < b.length && isLetter(b.chars[at]) && (at + 1 >= b.length || !isLetter(b.chars[at + 1]))) {
            n++;
            if (at + 1 >= b.length || b.chars[at + 1] != sep) break;
            at += 2;
        }
        return n;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c > 0x7f && Character.isLetter(c));
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isSpacer(char c) {
        return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '|' || c == '/' || c == '+' || c == ',';
    }

    private static boolean isJunk(char c) {
        return c == '*' || c == '_' || c == '|' || c == '^' || c == '~' || c == '`';
    }

    private static char leet(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4', '@' -> 'a';
            case '5', '$' -> 's';
            case '7' -> 't';
            default -> 0;
        };
    }

    private static boolean isNewline(int cp) {
        return cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029 || cp == 0x85;
    }

    /** Characters that render as nothing: format controls, variation selectors, tags, fillers, other controls. */
    static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.CONTROL
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF)
                || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                || cp == 0x180E || cp == 0x2800;
    }

    /** Chars with their original ranges; collapses whitespace as it goes. */
    private static final class Buffer {
        char[] chars;
        int[] starts;
        int[] ends;
        int length;

        Buffer(int capacity) {
            chars = new char[Math.max(capacity, 16)];
            starts = new int[chars.length];
            ends = new int[chars.length];
        }

        void add(char c, int start, int end) {
            if (length == chars.length) {
                int n = length * 2;
                chars = Arrays.copyOf(chars, n);
                starts = Arrays.copyOf(starts, n);
                ends = Arrays.copyOf(ends, n);
            }
            chars[length] = c;
            starts[length] = start;
            ends[length] = end;
            length++;
        }

        /** Whitespace: a run becomes one char, a newline if the run holds one. */
        void space(char c, int start, int end) {
            if (length > 0 && (chars[length - 1] == ' ' || chars[length - 1] == '\n')) {
                if (c == '\n') chars[length - 1] = '\n';
                ends[length - 1] = end;
                return;
            }
            add(c, start, end);
        }

        void extendLast(int end) {
            if (length > 0) ends[length - 1] = Math.max(ends[length - 1], end);
        }

        void trim() {
            int from = 0;
            while (from < length && (chars[from] == ' ' || chars[from] == '\n')) from++;
            int to = length;
            while (to > from && (chars[to - 1] == ' ' || chars[to - 1] == '\n')) to--;
            if (from > 0) {
                System.arraycopy(chars, from, chars, 0, to - from);
                System.arraycopy(starts, from, starts, 0, to - from);
                System.arraycopy(ends, from, ends, 0, to - from);
            }
            length = to - from;
        }
    }

}
