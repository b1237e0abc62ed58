package io.sigil.guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pattern over normalized text (see {@link TextNormalizer}) and how much its match says about an injection.
 *
 * @param name    stable signal name, {@code family.what}
 * @param family  the attack family
 * @param weight  the score it contributes on its own, in (0, 1]
 * @param pattern matched against the normalized text
 * @param anchors literals every match starts with (the rule is skipped when none occurs), or null: always run
 */
public record Rule(String name, Signal.Family family, double weight, Pattern pattern, List<String> anchors) {
    public Rule {
        if (!(weight > 0 && weight <= 1)) throw new IllegalArgumentException("weight must be in (0, 1]: " + weight);
        anchors = anchors == null ? null : List.copyOf(anchors);
    }

    /** A rule whose anchors are derived from its pattern. */
    public Rule(String name, Signal.Family family, double weight, Pattern pattern) {
        this(name, family, weight, pattern, Prefilter.leadingLiterals(pattern.pattern()));
    }

    /** The leftmost match in {@code text}, or null. */
    public MatchResult first(String text) {
        List<MatchResult> found = find(text, false);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** All non-overlapping matches in {@code text}, left to right. */
    public List<MatchResult> all(String text) {
        return find(text, true);
    }

    /**
     * With anchors, the regex is tried only where an anchor occurs (every match starts at one), instead of at
     * every position of the text: most rules then cost a few substring searches.
     */
    private List<MatchResult> find(String text, boolean all) {
        var out = new ArrayList<MatchResult>();
        Matcher m = pattern.matcher(text);
        if (anchors == null) {
            while (m.find()) { out.add(m.toMatchResult()); if (!all) break; }
            return out;
        }
        int[] starts = anchorPositions(text);
        m.useTransparentBounds(true).useAnchoringBounds(false);
        int next = 0;
        for (int pos : starts) {
            if (pos < next) continue;
            m.region(pos, text.length());
            if (m.lookingAt()) {
                out.add(m.toMatchResult());
                if (!all) break;
                next = Math.max(m.end(), pos + 1);
            }
        }
        return out;
    }

    private int[] anchorPositions(String text) {
        int[] found = new int[16];
        int n = 0;
        for (String a : anchors) {
            for (int i = text.indexOf(a); i >= 0; i = text.indexOf(a, i + 1)) {
                if (n == found.length) found = Arrays.copyOf(found, n * 2);
                found[n++] = i;
            }
        }
        int[] sorted = Arrays.copyOf(found, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** False when the text cannot contain a match (none of the anchors occurs). */
    public boolean mayMatch(String normalized) {
        if (anchors == null) return true;
        for (String a : anchors) if (normalized.contains(a)) return true;
        return false;
    }
}
