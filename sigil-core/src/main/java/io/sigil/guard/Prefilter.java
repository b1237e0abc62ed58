package io.sigil.guard;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Derives, from a rule's regular expression, literal strings of which every match must start with one. The
 * detector skips a rule whose literals do not occur in the text, which is far cheaper than letting the regex
 * engine try every position. Only simple leading forms are understood ({@code \b(?:word|other) ...},
 * {@code literal ...}, top-level alternatives of those); for anything else there is no prefilter and the rule
 * always runs, so the shortcut can never hide a match.
 */
final class Prefilter {
    private Prefilter() { }

    private static final int MIN_LITERAL = 2;

    /** The leading literals of {@code regex}, or null when they cannot be derived safely. */
    static List<String> leadingLiterals(String regex) {
        Set<String> out = literals(regex);
        return out == null ? null : List.copyOf(out);
    }

    private static Set<String> literals(String regex) {
        var result = new LinkedHashSet<String>();
        for (String alt : topLevelAlternatives(regex)) {
            Set<String> one = alternative(alt);
            if (one == null) return null;
            result.addAll(one);
        }
        return result;
    }

    private static Set<String> alternative(String alt) {
        String s = alt;
        while (true) {
            if (s.startsWith("\\b")) s = s.substring(2);
            else if (s.startsWith("(?<!") || s.startsWith("(?<=")) {
                int close = closingParen(s, 0);
                if (close < 0) return null;
                s = s.substring(close + 1);
            } else break;
        }
        if (s.startsWith("(?:")) {
            int close = closingParen(s, 0);
            if (close < 0) return null;
            if (close + 1 < s.length() && "?*{".indexOf(s.charAt(close + 1)) >= 0) return null;
            return literals(s.substring(3, close));
        }
        // A rare punctuation char opening the pattern ("<", "#", "[") is anchor enough on its own.
        if (s.length() > 1 && "<#".indexOf(s.charAt(0)) >= 0) return Set.of(s.substring(0, 1));
        if (s.startsWith("\\[")) return Set.of("[");
        if (s.startsWith("\\\\")) return Set.of("\\");
        var lit = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = Character.isLetterOrDigit(c) || c == ' ' || c == '\'' || c == '-' || c == '"' || c == ':';
            if (!plain) {
                // A quantifier makes the previous char optional or repeatable: it is not part of the literal.
                if ((c == '?' || c == '*' || c == '{') && !lit.isEmpty()) lit.setLength(lit.length() - 1);
                break;
            }
            lit.append(c);
        }
        // One CJK or other non-Latin ideograph/syllable is rare enough in Latin text to anchor on.
        boolean enough = lit.length() >= MIN_LITERAL || (lit.length() == 1 && lit.charAt(0) >= 0x2E80);
        return enough ? Set.of(lit.toString()) : null;
    }

    private static List<String> topLevelAlternatives(String regex) {
        var parts = new java.util.ArrayList<String>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') { i++; continue; }
            if (inClass) { if (c == ']') inClass = false; continue; }
            if (c == '[') inClass = true;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == '|' && depth == 0) { parts.add(regex.substring(start, i)); start = i + 1; }
        }
        parts.add(regex.substring(start));
        return parts;
    }

    private static int closingParen(String s, int open) {
        int depth = 0;
        boolean inClass = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') { i++; continue; }
            if (inClass) { if (c == ']') inClass = false; continue; }
            if (c == '[') inClass = true;
            else if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }
}
