package io.sigil.evolution;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** How far a prompt moved from another: 1 - Jaccard similarity of their sets of words (lower-cased). */
public final class Drift {
    private Drift() { }

    public static double between(String from, String to) {
        Set<String> a = words(from);
        Set<String> b = words(to);
        if (a.isEmpty() && b.isEmpty()) return 0;
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return 1.0 - (double) both.size() / union.size();
    }

    static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).collect(Collectors.toSet());
    }
}
