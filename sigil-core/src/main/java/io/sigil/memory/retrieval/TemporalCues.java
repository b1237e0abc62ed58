package io.sigil.memory.retrieval;

import java.time.DateTimeException;
import java.time.Month;
import java.time.MonthDay;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@link TemporalCue}s of a question, in the order they appear. Deliberately literal: a month name counts
 * only after a preposition ("in May", "before March") or next to a day number ("3 May", "May 3rd"), so the modal
 * "may" and the verb "march" are not cues; "last" counts only before a unit ("last week", not "the last book").
 */
public final class TemporalCues {
    private static final String MONTHS = "january|february|march|april|may|june|july|august|september|october"
            + "|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec";
    private static final String UNIT = "(day|week|month|year)s?";
    private static final String NUMBER = "(\\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|few|a couple of|couple of|several)";
    private static final Map<String, Integer> WORDS = Map.ofEntries(Map.entry("a", 1), Map.entry("an", 1),
            Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5),
            Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9),
            Map.entry("ten", 10), Map.entry("a few", 3), Map.entry("few", 3),
            Map.entry("a couple of", 2), Map.entry("couple of", 2), Map.entry("several", 4));

    private static final Pattern WHEN = Pattern.compile(
            "^\\s*(when|since when)\\b|\\bwhat (date|day|time|year|month|week)\\b|\\bhow long ago\\b|\\bwhich (day|date|month|year|week)\\b");
    private static final Pattern DAY_MONTH = Pattern.compile(
            "\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? (" + MONTHS + ")\\b\\.?(?:,? (\\d{4}))?");
    private static final Pattern MONTH_DAY = Pattern.compile(
            "\\b(" + MONTHS + ")\\.? (\\d{1,2})(?:st|nd|rd|th)?\\b(?!:)(?:,? (\\d{4}))?");
    private static final Pattern MONTH = Pattern.compile(
            "\\b(in|during|since|until|till|before|after|by|early|late|mid|of|last|from|through) (" + MONTHS
                    + ")\\b\\.?(?:,? (\\d{4}))?");
    private static final Pattern RELATIVE = Pattern.compile(
            "\\b(yesterday|today|last night|tonight|(last|this|past|previous) (week|weekend|month|year)"
                    + "|(?:in |over |during )?the (?:last|past) " + NUMBER + " " + UNIT
                    + "|" + NUMBER + " " + UNIT + " ago)\\b");
    private static final Pattern ANCHOR = Pattern.compile(
            "\\b(before|after|since|prior to|until|following) (?!(?:you|he|she|they|we|i|it)\\b)([a-z0-9' ]{2,40}?)(?=[?.,!;]|$)");

    private TemporalCues() { }

    public static List<TemporalCue> parse(String question) {
        if (question == null || question.isBlank()) return List.of();
        String text = question.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        var found = new ArrayList<Found>();
        if (WHEN.matcher(text).find()) found.add(new Found(-1, new TemporalCue.WhenQuestion()));
        var taken = new boolean[text.length()];
        dates(text, taken, found);
        relative(text, taken, found);
        anchors(text, found);
        found.sort((a, b) -> Integer.compare(a.at, b.at));
        return found.stream().map(Found::cue).toList();
    }

    /** The first cue that points at a span of time, or null: what a search can filter or boost on. */
    public static TemporalCue windowCue(List<TemporalCue> cues) {
        for (TemporalCue c : cues) {
            if (!(c instanceof TemporalCue.WhenQuestion) && !(c instanceof TemporalCue.Relative r && r.anchor() == null)) {
                return c;
            }
        }
        return null;
    }

    private record Found(int at, TemporalCue cue) { }

    private static void dates(String text, boolean[] taken, List<Found> found) {
        for (Matcher m = DAY_MONTH.matcher(text); m.find(); ) date(m, 2, 1, 3, taken, found);
        for (Matcher m = MONTH_DAY.matcher(text); m.find(); ) date(m, 1, 2, 3, taken, found);
        for (Matcher m = MONTH.matcher(text); m.find(); ) {
            if (overlaps(taken, m.start(2), m.end())) continue;
            mark(taken, m.start(2), m.end());
            found.add(new Found(m.start(2), new TemporalCue.NamedMonth(month(m.group(2)), year(m.group(3)))));
        }
    }

    private static void date(Matcher m, int monthGroup, int dayGroup, int yearGroup, boolean[] taken, List<Found> found) {
        if (overlaps(taken, m.start(), m.end())) return;
        try {
            var day = MonthDay.of(month(m.group(monthGroup)), Integer.parseInt(m.group(dayGroup)));
            mark(taken, m.start(), m.end());
            found.add(new Found(m.start(), new TemporalCue.NamedDate(day, year(m.group(yearGroup)))));
        } catch (DateTimeException e) {
            // "May 45" is not a date: not a cue
        }
    }

    private static void relative(String text, boolean[] taken, List<Found> found) {
        for (Matcher m = RELATIVE.matcher(text); m.find(); ) {
            if (overlaps(taken, m.start(), m.end())) continue;
            mark(taken, m.start(), m.end());
            found.add(new Found(m.start(), relativeCue(m.group(1))));
        }
    }

    static TemporalCue relativeCue(String phrase) {
        String p = phrase.replaceFirst("^(in|over|during) ", "");
        switch (p) {
            case "yesterday", "last night": return new TemporalCue.RelativeWindow(ChronoUnit.DAYS, 1, false, false);
            case "today", "tonight": return new TemporalCue.RelativeWindow(ChronoUnit.DAYS, 0, false, true);
            default: break;
        }
        String[] w = p.split(" ");
        if (p.endsWith(" ago")) {
            String count = p.substring(0, p.lastIndexOf(' ', p.length() - 5));
            ChronoUnit unit = unit(w[w.length - 2]);
            return new TemporalCue.RelativeWindow(unit, count(count), false, false);
        }
        if (p.startsWith("the ")) { // the past 3 weeks
            String count = p.substring(p.indexOf(' ', 4) + 1, p.lastIndexOf(' '));
            return new TemporalCue.RelativeWindow(unit(w[w.length - 1]), count(count), true, false);
        }
        ChronoUnit unit = w[1].equals("weekend") ? ChronoUnit.WEEKS : unit(w[1]);
        return switch (w[0]) {
            case "this" -> new TemporalCue.RelativeWindow(unit, 0, false, true);
            case "past" -> new TemporalCue.RelativeWindow(unit, 1, true, false);
            default -> new TemporalCue.RelativeWindow(unit, 1, false, true); // last, previous
        };
    }

    private static void anchors(String text, List<Found> found) {
        for (Matcher m = ANCHOR.matcher(text); m.find(); ) {
            boolean before = switch (m.group(1)) {
                case "before", "prior to", "until" -> true;
                default -> false;
            };
            String anchorText = m.group(2).strip();
            Found date = found.stream().filter(f -> f.at >= m.start(2) && f.at < m.end(2)
                    && !(f.cue instanceof TemporalCue.Relative)).findFirst().orElse(null);
            if (date != null) { // "before March": the anchor is a date, so the cue is the time before it
                found.remove(date);
                found.add(new Found(m.start(), new TemporalCue.Relative(before, anchorText, date.cue)));
            } else if (startsLikeAnEvent(anchorText)) {
                found.add(new Found(m.start(), new TemporalCue.Relative(before, anchorText, null)));
            }
        }
    }

    /** "the trip", "his move", "Ella's visit": a noun phrase, not a clause ("before going"). */
    private static boolean startsLikeAnEvent(String anchor) {
        return anchor.matches("(the|his|her|their|my|your|our|a|an) .+|[a-z]+'s .+");
    }

    private static Month month(String name) {
        for (Month m : Month.values()) {
            if (m.name().toLowerCase(Locale.ROOT).startsWith(name.length() >= 3 ? name : "~")) return m;
        }
        throw new IllegalArgumentException("not a month: " + name);
    }

    private static Integer year(String y) { return y == null ? null : Integer.valueOf(y); }

    private static ChronoUnit unit(String word) {
        return switch (word.replaceFirst("s$", "")) {
            case "day" -> ChronoUnit.DAYS;
            case "week" -> ChronoUnit.WEEKS;
            case "month" -> ChronoUnit.MONTHS;
            case "year" -> ChronoUnit.YEARS;
            default -> throw new IllegalArgumentException("not a unit: " + word);
        };
    }

    private static int count(String word) {
        Integer n = WORDS.get(word);
        return n != null ? n : Integer.parseInt(word);
    }

    private static boolean overlaps(boolean[] taken, int from, int to) {
        for (int i = from; i < to; i++) if (taken[i]) return true;
        return false;
    }

    private static void mark(boolean[] taken, int from, int to) {
        for (int i = from; i < to; i++) taken[i] = true;
    }
}
