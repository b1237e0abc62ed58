package io.sigil.memory.retrieval;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;

/**
 * A reference to time found in a question ({@link TemporalCues#parse}). Cues are parsed without a clock and resolved
 * against the question's reference time (when it was asked), in UTC, because stored timestamps are UTC instants.
 */
public sealed interface TemporalCue {

    /** The span of time the cue points at, if it points at one. */
    Optional<TimeWindow> window(Instant reference);

    /**
     * "yesterday", "last week", "this month", "3 days ago", "in the past 2 weeks". {@code back} units before the
     * reference's own unit ({@code 0} = this one); {@code rolling} is a span of {@code back} units ending at the
     * reference ("past 2 weeks"); {@code throughNow} stretches a calendar unit to the reference ("last week" also
     * covers the days of this week, because people say it of anything in the last fortnight).
     */
    record RelativeWindow(ChronoUnit unit, int back, boolean rolling, boolean throughNow) implements TemporalCue {
        @Override
        public Optional<TimeWindow> window(Instant reference) {
            ZonedDateTime ref = reference.atZone(ZoneOffset.UTC);
            if (rolling) return Optional.of(new TimeWindow(ref.minus(back, unit).toInstant(), reference.plusSeconds(1)));
            ZonedDateTime start = startOf(ref, unit).minus(back, unit);
            ZonedDateTime end = throughNow ? ref.plusSeconds(1) : start.plus(1, unit);
            return Optional.of(new TimeWindow(start.toInstant(), end.toInstant()));
        }

        private static ZonedDateTime startOf(ZonedDateTime t, ChronoUnit unit) {
            ZonedDateTime day = t.truncatedTo(ChronoUnit.DAYS);
            return switch (unit) {
                case DAYS -> day;
                case WEEKS -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTHS -> day.withDayOfMonth(1);
                case YEARS -> day.withDayOfYear(1);
                default -> throw new IllegalArgumentException("unsupported unit " + unit);
            };
        }
    }

    /** "in March", "in March 2025": that month; without a year, the latest one that began by the reference. */
    record NamedMonth(Month month, Integer year) implements TemporalCue {
        @Override
        public Optional<TimeWindow> window(Instant reference) {
            LocalDate ref = reference.atZone(ZoneOffset.UTC).toLocalDate();
            LocalDate first = LocalDate.of(year != null ? year : ref.getYear(), month, 1);
            if (year == null && first.isAfter(ref)) first = first.minusYears(1);
            return Optional.of(new TimeWindow(start(first), start(first.plusMonths(1))));
        }
    }

    /** "on 3 May", "May 3rd, 2025": that day; without a year, the latest one by the reference. */
    record NamedDate(MonthDay day, Integer year) implements TemporalCue {
        @Override
        public Optional<TimeWindow> window(Instant reference) {
            LocalDate ref = reference.atZone(ZoneOffset.UTC).toLocalDate();
            LocalDate date = day.atYear(year != null ? year : ref.getYear());
            if (year == null && date.isAfter(ref)) date = day.atYear(ref.getYear() - 1);
            return Optional.of(new TimeWindow(start(date), start(date.plusDays(1))));
        }
    }

    /**
     * "before March", "after the trip": the time before (or after) an anchor. A date anchor resolves to a window; an
     * event anchor ({@code anchor} null, {@code anchorText} the event's words) does not: finding when the event happened
     * is itself a search, which this cue does not make.
     */
    record Relative(boolean before, String anchorText, TemporalCue anchor) implements TemporalCue {
        @Override
        public Optional<TimeWindow> window(Instant reference) {
            if (anchor == null) return Optional.empty();
            return anchor.window(reference).map(a -> before
                    ? new TimeWindow(NO_TIME_BEFORE, a.from())
                    : new TimeWindow(a.to(), reference.isAfter(a.to()) ? reference.plusSeconds(1) : a.to().plusSeconds(1)));
        }
    }

    /** "When did…", "what date…", "how long ago…": asks for a time rather than giving one, so no window. */
    record WhenQuestion() implements TemporalCue {
        @Override
        public Optional<TimeWindow> window(Instant reference) { return Optional.empty(); }
    }

    /** Just after the epoch: an item stored without a time carries the epoch and is not "before" anything. */
    Instant NO_TIME_BEFORE = Instant.EPOCH.plusMillis(1);

    private static Instant start(LocalDate day) { return day.atStartOfDay(ZoneOffset.UTC).toInstant(); }
}
