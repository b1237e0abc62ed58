package io.sigil.memory.retrieval;

import io.sigil.memory.Hit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves an event anchor ("before the trip", "after Ella's visit") to a span of time. The anchor's words are
 * searched once in the question's own scope (the caller's {@link Search}); the best of the first {@link #DEPTH}
 * hits whose own text holds most of the anchor's words ({@link #MIN_MATCH}) is taken to be the event; when none
 * does, the anchor stays unresolved and the question is ranked as without it. The event is dated by the day of that
 * turn: "before" is everything up to that day, "after" everything from the next day up to when the question is
 * asked (turns of the event's own day are neither, because a conversation on the day usually is about the event).
 */
public final class EventAnchors {
    /**
     * Hits the anchor search fetches. More than one because a turn's keyword text holds the turn before it: the
     * friend's "Wow, big change." right after the event often ranks first, and its own words say nothing.
     */
    public static final int DEPTH = 5;
    /**
     * Share of the anchor's words (a possessor such as "Ella's" counting half, because every turn of Ella's names
     * her) that the best hit must contain. More than half of "Nora's trip to Porto" is "Porto" plus one more word.
     * Fixed, not tuned: it says what "confident" means rather than fitting a dev set.
     */
    static final double MIN_MATCH = 0.5;
    private static final double POSSESSOR_WEIGHT = 0.5;
    private static final Set<String> FILLER = Set.of("the", "a", "an", "his", "her", "their", "my", "your", "our",
            "its", "of", "to", "from", "with", "in", "on", "at", "for", "and", "that", "this", "last", "big", "whole");

    /** The keyword search of the question's scope (store.keywordSearch with the question's filter). */
    @FunctionalInterface
    public interface Search {
        List<Hit> find(String text, int k);
    }

    private EventAnchors() { }

    /** The span before or after the anchor's event, or null when the search finds no event confidently. */
    public static TimeWindow resolve(TemporalCue.Relative cue, Instant reference, Search search) {
        if (cue.anchor() != null || cue.anchorText() == null) return null;
        List<Word> words = words(cue.anchorText());
        if (words.isEmpty()) return null;
        Hit event = null;
        for (Hit h : search.find(cue.anchorText(), DEPTH)) {
            if (match(words, h.item().content()) >= MIN_MATCH) {
                event = h;
                break;
            }
        }
        if (event == null) return null;
        Instant at = event.item().createdAt();
        if (at == null || !at.isAfter(Instant.EPOCH)) return null;
        Instant dayStart = at.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
        Instant dayEnd = dayStart.plus(1, ChronoUnit.DAYS);
        if (cue.before()) {
            return dayStart.isAfter(TemporalCue.NO_TIME_BEFORE) ? new TimeWindow(TemporalCue.NO_TIME_BEFORE, dayStart) : null;
        }
        return reference.isAfter(dayEnd) ? new TimeWindow(dayEnd, reference.plusSeconds(1)) : null;
    }

    /** {@code question} without "before/after <the anchor>" (as the parser found it, case and spacing aside). */
    static String without(String question, TemporalCue.Relative cue) {
        String words = String.join("\\s+", Arrays.stream(cue.anchorText().split(" ")).map(Pattern::quote).toList());
        String cut = Pattern.compile("\\b(before|after|since|prior\\s+to|until|following)\\s+" + words,
                Pattern.CASE_INSENSITIVE).matcher(question).replaceFirst("").replaceAll("\\s+([?.,!;])", "$1").strip();
        return cut.isBlank() ? question : cut;
    }

    /** One word of an anchor, with its weight in the match. */
    record Word(String text, double weight) { }

    static List<Word> words(String anchor) {
        var out = new ArrayList<Word>();
        for (String w : anchor.toLowerCase(Locale.ROOT).split("[^a-z0-9']+")) {
            boolean possessor = w.endsWith("'s");
            String bare = possessor ? w.substring(0, w.length() - 2) : w.replace("'", "");
            if (bare.length() < 2 || FILLER.contains(bare)) continue;
            out.add(new Word(bare, possessor ? POSSESSOR_WEIGHT : 1));
        }
        return out;
    }

    /** The weighted share of {@code words} found in {@code text}, a word matching another form of itself. */
    static double match(List<Word> words, String text) {
        String[] tokens = text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        double total = 0, found = 0;
        for (Word w : words) {
            total += w.weight();
            for (String t : tokens) {
                if (sameWord(w.text(), t)) {
                    found += w.weight();
                    break;
                }
            }
        }
        return total == 0 ? 0 : found / total;
    }

    /**
     * "adoption" and "adopted", "move" and "moving": a shared stem of all but the last two letters of the shorter
     * word (three letters for words of up to four, else at least four: "visit" is not "vista"). Crude on purpose:
     * the search itself already stemmed, this only checks that the hit is about the anchor rather than sharing one
     * word with it.
     */
    static boolean sameWord(String a, String b) {
        if (a.equals(b)) return true;
        int shorter = Math.min(a.length(), b.length());
        int need = shorter <= 4 ? 3 : Math.max(4, shorter - 2);
        if (shorter < need) return false;
        for (int i = 0; i < need; i++) if (a.charAt(i) != b.charAt(i)) return false;
        return true;
    }
}
